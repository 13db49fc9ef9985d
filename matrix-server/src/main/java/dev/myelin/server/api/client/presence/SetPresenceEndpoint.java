package dev.myelin.server.api.client.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;

/**
 * {@code PUT /_matrix/client/v3/presence/{userId}/status}: sets one's own presence ({@code presence}
 * required, {@code status_msg} optional: absent clears it). 403 for another user.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3presenceuseridstatus">spec</a>
 */
public final class SetPresenceEndpoint implements Endpoint {
    private final PresenceHandler presence;

    public SetPresenceEndpoint(PresenceHandler presence) {
        this.presence = presence;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/presence/{userId}/status";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        UserId requester = request.requireRequester().userId();
        UserId user = PathParams.userId(request);
        if (!user.equals(requester)) {
            throw MatrixException.forbidden("You cannot set the presence state of another user");
        }
        ObjectNode body = request.jsonObject();
        String value = JsonFields.requireString(body, "presence");
        PresenceState state = PresenceState.parse(value).orElseThrow(() -> MatrixException.invalidParam("presence",
                "must be one of online, offline, unavailable"));
        presence.set(user, state, JsonFields.optionalString(body, "status_msg"));
        return MatrixResponse.ok();
    }
}
