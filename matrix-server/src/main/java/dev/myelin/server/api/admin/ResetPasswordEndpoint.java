package dev.myelin.server.api.admin;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AccountEditor;
import dev.myelin.server.handler.admin.AdminUsers;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_synapse/admin/v1/reset_password/{userId}}: a server admin sets a user's password,
 * logging the user out of every device unless {@code logout_devices} is false.
 */
public final class ResetPasswordEndpoint extends JsonEndpoint<ResetPasswordEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_synapse/admin/v1/reset_password/{userId}", Request.class, EmptyResponse.class);

    /** The new password, and whether to log the user out everywhere (default true). */
    public record Request(String newPassword, @Nullable Boolean logoutDevices) {
        public Request {
            EndpointJson.required(newPassword, "new_password");
        }
    }

    private final AdminUsers admin;
    private final AccountEditor editor;

    public ResetPasswordEndpoint(AdminUsers admin, AccountEditor editor) {
        super(SPEC);
        this.admin = admin;
        this.editor = editor;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Can only change password for local users");
        admin.existing(user);
        editor.resetPassword(user, body.newPassword(), !Boolean.FALSE.equals(body.logoutDevices()));
        return EmptyResponse.INSTANCE;
    }
}
