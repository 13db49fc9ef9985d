package dev.myelin.server.api;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.util.Optional;

/**
 * The {@code ts} query parameter with which an application service sets the {@code
 * origin_server_ts} of the event it sends (bridging a message sent earlier on another network).
 * Only application services may: for anyone else the parameter is ignored, as Synapse does.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#timestamp-massaging">Timestamp massaging</a>
 */
public final class TimestampMassaging {
    private TimestampMassaging() {}

    /**
     * The timestamp an application service asked for, in milliseconds since the epoch; empty when
     * it gave none or the requester is not one.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} for a value that is not a non-negative integer
     */
    public static Optional<Long> of(MatrixRequest request) {
        if (!request.requireRequester().isAppService()) {
            return Optional.empty();
        }
        return request.queryParam("ts").map(value -> {
            if (!value.matches("\\d{1,16}")) {
                throw MatrixException.invalidParam("ts", "must be a timestamp in milliseconds");
            }
            return Long.parseLong(value);
        });
    }
}
