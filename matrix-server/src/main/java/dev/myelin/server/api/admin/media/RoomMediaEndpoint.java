package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import java.util.List;

/**
 * {@code GET /_synapse/admin/v1/room/{roomId}/media}: the mxc URIs the room's unredacted events
 * refer to ({@code url}, {@code info.thumbnail_url}; encrypted events show none), this server's
 * and other servers' apart; 404 for a room unknown here.
 */
public final class RoomMediaEndpoint extends JsonEndpoint<NoBody, RoomMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/room/{roomId}/media", Response.class);

    /** The room's media URIs, by whose they are. */
    public record Response(List<String> local, List<String> remote) {}

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public RoomMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        MediaAdmin.RoomMedia found = media.roomMedia(AdminParams.room(request));
        return new Response(found.local(), found.remote());
    }
}
