package dev.myelin.federation.keys;

import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import java.util.Map;
import java.util.Objects;

/**
 * A notary asked for other servers' keys when they cannot be fetched from the servers themselves
 * ({@code trusted_key_servers} in the configuration, as in Synapse).
 *
 * @param serverName the notary's name
 * @param verifyKeys the notary's keys; its answers must be signed with one of them
 * @param acceptKeysInsecurely whether answers are taken without checking the notary's signature,
 *     allowed only when no {@code verifyKeys} are given
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#querying-keys-through-another-server">Querying keys through another server</a>
 */
public record TrustedKeyServer(
        ServerName serverName, Map<SigningKeyId, VerifyKey> verifyKeys, boolean acceptKeysInsecurely) {
    /** Requires a name, copies the keys, and refuses a notary that could never be checked. */
    public TrustedKeyServer {
        Objects.requireNonNull(serverName, "serverName");
        verifyKeys = Map.copyOf(verifyKeys);
        if (verifyKeys.isEmpty() && !acceptKeysInsecurely) {
            throw new IllegalArgumentException("trusted key server " + serverName
                    + " has no verify_keys: give them, or set accept_keys_insecurely");
        }
    }
}
