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
 * {@code POST /_synapse/admin/v1/media/quarantine/{serverName}/{mediaId}}: quarantines one local upload or
 * cached copy of remote media, which clients are then answered 404 for; the file is kept. 404 for
 * media not known here. Protection does not stop this one (it guards against room and user
 * quarantine).
 */
public final class QuarantineMediaEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC = EndpointSpec.post(
            "/_synapse/admin/v1/media/quarantine/{serverName}/{mediaId}", NoBody.class, EmptyResponse.class);

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public QuarantineMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        media.setQuarantined(
                request.pathParam("serverName"),
                request.pathParam("mediaId"),
                Optional.of(request.requireRequester().userId()));
        return new EmptyResponse();
    }
}
