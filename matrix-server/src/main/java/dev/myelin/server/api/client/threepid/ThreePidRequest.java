package dev.myelin.server.api.client.threepid;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of unbinding and deleting a 3PID: which one, and the identity server to unbind it
 * from (else every one it was bound on through this server).
 *
 * @param medium {@code email} or {@code msisdn}
 * @param address the address
 * @param idServer the identity server, when the client names one
 */
public record ThreePidRequest(
        @Nullable String medium,
        @Nullable String address,
        @Nullable String idServer) {
    Optional<String> optionalIdServer() {
        return Optional.ofNullable(idServer);
    }
}
