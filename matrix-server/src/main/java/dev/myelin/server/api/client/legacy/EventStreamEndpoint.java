package dev.myelin.server.api.client.legacy;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.legacy.EventStreamHandler;
import dev.myelin.server.handler.legacy.EventStreamPage;
import dev.myelin.server.handler.sync.SyncToken;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v3/events}: the deprecated event stream, with {@code from} (a stream
 * token of {@code /sync}, {@code /initialSync} or an earlier call; absent for "now"),
 * {@code timeout} in milliseconds (0 by default, at most {@link #MAX_TIMEOUT}), {@code limit} on
 * room events (default {@value EventStreamHandler#DEFAULT_LIMIT}) and {@code room_id} to follow
 * one room, which a user who is not joined to it may do when it is world_readable.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3events">spec</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3events-1">spec (peeking)</a>
 */
public final class EventStreamEndpoint extends JsonEndpoint<NoBody, EventStreamPage> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EventStreamPage> SPEC =
            EndpointSpec.get("/_matrix/client/v3/events", EventStreamPage.class);

    /** Longer waits are shortened, as for {@code /sync}. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private final EventStreamHandler stream;

    public EventStreamEndpoint(EventStreamHandler stream) {
        super(SPEC);
        this.stream = stream;
    }

    @Override
    protected EventStreamPage handle(MatrixRequest request, NoBody body) {
        Requester requester = request.requireRequester();
        Optional<SyncToken> from =
                request.queryParam("from").filter(f -> !f.isEmpty()).map(EventStreamEndpoint::token);
        Optional<RoomId> room = request.queryParam("room_id").map(EventStreamEndpoint::roomId);
        int limit = QueryParams.nonNegativeInt(request, "limit", EventStreamHandler.DEFAULT_LIMIT);
        long timeoutMs = request.queryParam("timeout")
                .map(EventStreamEndpoint::milliseconds)
                .orElse(0L);
        Duration timeout = Duration.ofMillis(Math.min(timeoutMs, MAX_TIMEOUT.toMillis()));
        return stream.stream(
                new EventStreamHandler.Request(requester.userId(), requester.deviceId(), from, room, limit, timeout));
    }

    private static SyncToken token(String value) {
        try {
            return SyncToken.parse(value);
        } catch (MatrixException e) {
            throw MatrixException.invalidParam("from", "not a stream token issued by this server");
        }
    }

    private static RoomId roomId(String value) {
        try {
            return RoomId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("room_id", e.getMessage());
        }
    }

    private static long milliseconds(String value) {
        long ms;
        try {
            ms = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("timeout", "must be an integer");
        }
        if (ms < 0) {
            throw MatrixException.invalidParam("timeout", "must not be negative");
        }
        return ms;
    }
}
