package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import java.util.Optional;

/**
 * {@code POST /_synapse/admin/v1/media/unquarantine/{serverName}/{mediaId}}: serves quarantined media again.
 */
public final class UnquarantineMediaEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC = EndpointSpec.post(
            "/_synapse/admin/v1/media/unquarantine/{serverName}/{mediaId}", NoBody.class, EmptyResponse.class);

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public UnquarantineMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        media.setQuarantined(request.pathParam("serverName"), request.pathParam("mediaId"), Optional.empty());
        return new EmptyResponse();
    }
}
