package dev.myelin.server.api.admin.moderation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.admin.AdminBody;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;

/**
 * {@code GET} and {@code PUT /_matrix/client/v1/admin/suspend/{userId}} and {@code
 * .../admin/lock/{userId}}: the Client-Server API's way for server admins to read and set whether
 * an account is suspended or locked. Authorisation is checked before the account is looked up,
 * so non-admins cannot probe which accounts exist; another admin's account (or one's own) cannot
 * be read or changed this way; a deactivated account is 404 as an unknown one.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv1adminsuspenduserid">spec</a>
 */
public final class AccountFlagEndpoint extends SpecEndpoint {
    /** Which of the two flags an endpoint reads or sets. */
    public enum Flag {
        SUSPENDED("suspend", "suspended"),
        LOCKED("lock", "locked");

        private final String pathSegment;
        private final String field;

        Flag(String pathSegment, String field) {
            this.pathSegment = pathSegment;
            this.field = field;
        }

        /** The endpoint's path template. */
        public String path() {
            return "/_matrix/client/v1/admin/" + pathSegment + "/{userId}";
        }
    }

    private final AdminUsers admin;
    private final UserStore users;
    private final Flag flag;
    private final boolean set;

    public AccountFlagEndpoint(AdminUsers admin, UserStore users, Flag flag, boolean set) {
        super(
                set
                        ? EndpointSpec.put(flag.path(), ObjectNode.class, ObjectNode.class)
                        : EndpointSpec.get(flag.path(), ObjectNode.class));
        this.admin = admin;
        this.users = users;
        this.flag = flag;
        this.set = set;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "User does not belong to the local server.");
        UserAccount account = admin.existing(user);
        if (account.deactivated()) {
            throw MatrixException.notFound("User not found.");
        }
        if (account.admin()) {
            throw MatrixException.forbidden("The target user is a server administrator.");
        }
        boolean value;
        if (set) {
            ObjectNode body = (ObjectNode) EndpointJson.readBody(request, spec());
            value = AdminBody.bool(body, flag.field).orElseThrow(() -> MatrixException.missingParam(flag.field));
            if (flag == Flag.SUSPENDED) {
                users.setSuspended(user, value);
            } else {
                users.setLocked(user, value);
            }
        } else {
            value = flag == Flag.SUSPENDED ? account.suspended() : account.locked();
        }
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put(flag.field, value));
    }
}
