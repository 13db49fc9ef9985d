package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code POST /_synapse/admin/v1/room/{roomId}/media/quarantine}: quarantines the media that the
 * room's events refer to (local uploads, protected ones excepted, and cached remote copies).
 */
public final class QuarantineRoomMediaEndpoint extends JsonEndpoint<NoBody, QuarantineRoomMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.post("/_synapse/admin/v1/room/{roomId}/media/quarantine", NoBody.class, Response.class);

    /** How many media items were quarantined. */
    public record Response(int numQuarantined) {}

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public QuarantineRoomMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        return new Response(media.quarantineRoom(
                AdminParams.room(request), request.requireRequester().userId()));
    }
}
