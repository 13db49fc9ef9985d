package dev.myelin.server.api.client.typing;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.typing.TypingHandler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId}}: starts or stops the user typing.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidtypinguserid">spec</a>
 */
public final class TypingEndpoint extends JsonEndpoint<TypingEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/rooms/{roomId}/typing/{userId}", Request.class, EmptyResponse.class)
            .rateLimited("typing");

    /**
     * Whether the user is typing, and for how long at most.
     *
     * @param typing required
     * @param timeout milliseconds; {@link TypingHandler#DEFAULT_TIMEOUT} when absent
     */
    public record Request(Boolean typing, @Nullable Long timeout) {
        /** Checks that {@code typing} is present and the timeout not negative. */
        public Request {
            EndpointJson.required(typing, "typing");
            if (timeout != null && timeout < 0) {
                throw MatrixException.invalidParam("timeout", "must not be negative");
            }
        }

        /** How long the typing lasts unless renewed. */
        public Duration duration() {
            return timeout == null ? TypingHandler.DEFAULT_TIMEOUT : Duration.ofMillis(timeout);
        }
    }

    private final TypingHandler typing;

    public TypingEndpoint(TypingHandler typing) {
        super(SPEC);
        this.typing = typing;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        UserId requester = request.requireRequester().userId();
        RoomId room = PathParams.roomId(request);
        UserId user = PathParams.userId(request);
        if (!user.equals(requester)) {
            throw MatrixException.forbidden("Cannot set typing for other users");
        }
        typing.setTyping(room, user, body.typing(), body.duration());
        return EmptyResponse.INSTANCE;
    }
}
