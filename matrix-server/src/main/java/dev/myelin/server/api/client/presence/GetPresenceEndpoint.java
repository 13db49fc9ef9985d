package dev.myelin.server.api.client.presence;

import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.presence.PresenceContent;
import dev.myelin.server.handler.presence.PresenceHandler;

/**
 * {@code GET /_matrix/client/v3/presence/{userId}/status}: {@code presence}, {@code last_active_ago},
 * {@code currently_active}, {@code status_msg}. 404 for unknown users, 403 for users who share no
 * room with the requester.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3presenceuseridstatus">spec</a>
 */
public final class GetPresenceEndpoint extends JsonEndpoint<NoBody, PresenceContent> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, PresenceContent> SPEC =
            EndpointSpec.get("/_matrix/client/v3/presence/{userId}/status", PresenceContent.class);

    private final PresenceHandler presence;
    private final Clock clock;

    public GetPresenceEndpoint(PresenceHandler presence, Clock clock) {
        super(SPEC);
        this.presence = presence;
        this.clock = clock;
    }

    @Override
    protected PresenceContent handle(MatrixRequest request, NoBody body) {
        var viewer = request.requireRequester().userId();
        return presence.get(viewer, PathParams.userId(request)).toContent(clock.nowMillis());
    }
}
