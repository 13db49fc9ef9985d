package dev.myelin.server.api.admin.moderation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminBody;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.account.UserStore;

/**
 * {@code PUT /_synapse/admin/v1/suspend/{userId}} with {@code {"suspend": bool}}: Synapse's way to
 * suspend an account or lift the suspension, answering {@code {"user_<id>_suspended": bool}}.
 */
public final class SuspendUserEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SPEC =
            EndpointSpec.put("/_synapse/admin/v1/suspend/{userId}", ObjectNode.class, ObjectNode.class);

    private final AdminUsers admin;
    private final UserStore users;

    public SuspendUserEndpoint(AdminUsers admin, UserStore users) {
        super(SPEC);
        this.admin = admin;
        this.users = users;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Only local users can be suspended.");
        boolean suspend = AdminBody.bool(body, "suspend")
                .orElseThrow(() -> AdminUsers.invalid("'suspend' parameter is not of type boolean"));
        if (admin.existing(user).deactivated()) {
            throw AdminUsers.invalid("User has been deactivated.");
        }
        users.setSuspended(user, suspend);
        return JsonNodeFactory.instance.objectNode().put("user_" + user + "_suspended", suspend);
    }
}
