package dev.myelin.server.api.client.presence;

import dev.myelin.core.time.Clock;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.presence.PresenceHandler;

/**
 * {@code GET /_matrix/client/v3/presence/{userId}/status}: {@code presence}, {@code last_active_ago},
 * {@code currently_active}, {@code status_msg}. 404 for unknown users, 403 for users who share no
 * room with the requester.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3presenceuseridstatus">spec</a>
 */
public final class GetPresenceEndpoint implements Endpoint {
    private final PresenceHandler presence;
    private final Clock clock;

    public GetPresenceEndpoint(PresenceHandler presence, Clock clock) {
        this.presence = presence;
        this.clock = clock;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/presence/{userId}/status";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var viewer = request.requireRequester().userId();
        return MatrixResponse.ok(presence.get(viewer, PathParams.userId(request)).content(clock.nowMillis()));
    }
}
