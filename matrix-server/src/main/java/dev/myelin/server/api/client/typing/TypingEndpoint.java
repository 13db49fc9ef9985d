package dev.myelin.server.api.client.typing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.typing.TypingHandler;
import java.time.Duration;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId}}: starts or stops the user typing.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidtypinguserid">spec</a>
 */
public final class TypingEndpoint implements Endpoint {
    private final TypingHandler typing;

    public TypingEndpoint(TypingHandler typing) {
        this.typing = typing;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/typing/{userId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        UserId requester = request.requireRequester().userId();
        RoomId room = PathParams.roomId(request);
        UserId user = PathParams.userId(request);
        if (!user.equals(requester)) {
            throw MatrixException.forbidden("Cannot set typing for other users");
        }
        ObjectNode body = request.jsonObject();
        JsonNode typingNode = body.get("typing");
        if (typingNode == null || typingNode.isNull()) {
            throw MatrixException.missingParam("typing");
        }
        boolean isTyping = JsonFields.optionalBoolean(body, "typing", false);
        long timeout = JsonFields.optionalLong(body, "timeout").orElse(TypingHandler.DEFAULT_TIMEOUT.toMillis());
        if (timeout < 0) {
            throw MatrixException.invalidParam("timeout", "must not be negative");
        }
        typing.setTyping(room, user, isTyping, Duration.ofMillis(timeout));
        return MatrixResponse.ok();
    }
}
