package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.ServerKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A key response that was fetched and checked.
 *
 * @param keys the keys it lists
 * @param json the response as received, with its signatures, for the notary to hand on
 * @param fetchedTs when it was fetched, in milliseconds since the epoch
 */
public record FetchedKeyResponse(ServerKeys keys, ObjectNode json, long fetchedTs) {
    /** Requires every part. */
    public FetchedKeyResponse {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(json, "json");
    }

    /**
     * Every key with the time until which it may be used: a current key until
     * {@link ServerKeys#trustedUntil} (at most seven days after the fetch), an old one until its
     * {@code expired_ts}.
     */
    public Map<SigningKeyId, ServerKey> usableKeys() {
        Map<SigningKeyId, ServerKey> out = new LinkedHashMap<>();
        keys.oldVerifyKeys().forEach((id, old) -> out.put(id, new ServerKey(old.key(), old.expiredTs())));
        long until = keys.trustedUntil(fetchedTs);
        keys.verifyKeys().forEach((id, key) -> out.put(id, new ServerKey(key, until)));
        return out;
    }
}
