package dev.myelin.storage.serverkeys;

import dev.myelin.core.id.ServerName;
import java.util.Objects;

/**
 * A server's signed key response, kept as received.
 *
 * @param server the server the response is from
 * @param keyJson the response's JSON text, signatures included
 * @param validUntilTs the response's {@code valid_until_ts}
 * @param fetchedTs when it was fetched
 */
public record StoredKeyResponse(ServerName server, String keyJson, long validUntilTs, long fetchedTs) {
    /** Requires every part. */
    public StoredKeyResponse {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(keyJson, "keyJson");
    }
}
