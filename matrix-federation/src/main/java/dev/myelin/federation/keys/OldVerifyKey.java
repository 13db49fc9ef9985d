package dev.myelin.federation.keys;

import dev.myelin.core.crypto.VerifyKey;
import java.util.Objects;

/**
 * A key a server no longer signs with, published under {@code old_verify_keys} so that events it
 * signed before can still be checked. It does not authenticate requests.
 *
 * @param key the ed25519 public key
 * @param expiredTs when the server stopped using it, in milliseconds since the epoch
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixkeyv2server">GET /_matrix/key/v2/server</a>
 */
public record OldVerifyKey(VerifyKey key, long expiredTs) {
    /** Requires a key. */
    public OldVerifyKey {
        Objects.requireNonNull(key, "key");
    }
}
