package dev.myelin.server.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.admin.AccountEditor;
import dev.myelin.server.handler.admin.AdminUsers;

/**
 * {@code PUT /_synapse/admin/v2/users/{userId}}: a server admin creates an account (201) or
 * modifies one (200): password (with {@code logout_devices}, default true), {@code displayname},
 * {@code avatar_url}, {@code admin}, {@code deactivated}, {@code locked}, {@code user_type}; the
 * answer is the account as {@link GetUserEndpoint} shows it. synadm's {@code user modify} sends this.
 */
public final class PutUserEndpoint extends SpecEndpoint {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, AdminUsers.Account> SPEC =
            EndpointSpec.put("/_synapse/admin/v2/users/{userId}", ObjectNode.class, AdminUsers.Account.class);

    private final AdminUsers admin;
    private final AccountEditor editor;

    public PutUserEndpoint(AdminUsers admin, AccountEditor editor) {
        super(SPEC);
        this.admin = admin;
        this.editor = editor;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        UserId requester = request.requireRequester().userId();
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "This endpoint can only be used with local users");
        ObjectNode body = EndpointJson.readBody(request, SPEC);
        boolean created = editor.createOrModify(requester, user, body);
        return MatrixResponse.json(created ? 201 : 200, EndpointJson.toTree(admin.get(user)));
    }
}
