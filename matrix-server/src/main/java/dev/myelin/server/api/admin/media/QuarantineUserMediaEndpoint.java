package dev.myelin.server.api.admin.media;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import dev.myelin.storage.account.UserStore;

/**
 * {@code POST /_synapse/admin/v1/user/{userId}/media/quarantine}: quarantines every upload of a
 * local user, protected ones excepted.
 */
public final class QuarantineUserMediaEndpoint extends JsonEndpoint<NoBody, QuarantineRoomMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, QuarantineRoomMediaEndpoint.Response> SPEC = EndpointSpec.post(
            "/_synapse/admin/v1/user/{userId}/media/quarantine",
            NoBody.class,
            QuarantineRoomMediaEndpoint.Response.class);

    private final ServerAdmins admins;
    private final MediaAdmin media;
    private final UserStore users;
    private final ServerName serverName;

    public QuarantineUserMediaEndpoint(ServerAdmins admins, MediaAdmin media, UserStore users, ServerName serverName) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
        this.users = users;
        this.serverName = serverName;
    }

    @Override
    protected QuarantineRoomMediaEndpoint.Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        return new QuarantineRoomMediaEndpoint.Response(media.quarantineUploadsBy(
                AdminParams.localUser(request, serverName, users),
                request.requireRequester().userId()));
    }
}
