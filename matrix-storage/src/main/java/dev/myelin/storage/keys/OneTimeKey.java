package dev.myelin.storage.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A one-time or fallback key of a device: {@code algorithm:keyId} and the key as uploaded (a string or an
 * object with {@code key} and {@code signatures}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#one-time-and-fallback-keys">One-time and fallback keys</a>
 */
public record OneTimeKey(String algorithm, String keyId, JsonNode key) {
    /** Requires algorithm and key id and keeps a copy of the key. */
    public OneTimeKey {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        key = key.deepCopy();
    }

    /** {@code algorithm:keyId}, the name of the key in requests and responses. */
    public String name() {
        return algorithm + ":" + keyId;
    }

    /**
     * The key as uploaded (a string or a signed object).
     *
     * @return a copy
     */
    @Override
    public JsonNode key() {
        return key.deepCopy();
    }
}
