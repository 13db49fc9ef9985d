package dev.myelin.server.api.client.presence;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT /_matrix/client/v3/presence/{userId}/status}: sets one's own presence ({@code presence}
 * required, {@code status_msg} optional: absent clears it). 403 for another user.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3presenceuseridstatus">spec</a>
 */
public final class SetPresenceEndpoint extends JsonEndpoint<SetPresenceEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/presence/{userId}/status", Request.class, EmptyResponse.class)
            .rateLimited("presence");

    /**
     * The new presence.
     *
     * @param presence {@code online}, {@code offline} or {@code unavailable}
     * @param statusMsg the status message; absent clears it
     */
    public record Request(String presence, @Nullable String statusMsg) {
        /** Checks that {@code presence} is one of the spec's states. */
        public Request {
            EndpointJson.required(presence, "presence");
            if (PresenceState.parse(presence).isEmpty()) {
                throw MatrixException.invalidParam("presence", "must be one of online, offline, unavailable");
            }
        }

        /** The state {@link #presence} names. */
        public PresenceState state() {
            return PresenceState.parse(presence).orElseThrow();
        }
    }

    private final PresenceHandler presence;

    public SetPresenceEndpoint(PresenceHandler presence) {
        super(SPEC);
        this.presence = presence;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        UserId requester = request.requireRequester().userId();
        UserId user = PathParams.userId(request);
        if (!user.equals(requester)) {
            throw MatrixException.forbidden("You cannot set the presence state of another user");
        }
        presence.set(user, body.state(), Optional.ofNullable(body.statusMsg()));
        return EmptyResponse.INSTANCE;
    }
}
