package dev.myelin.server.api.admin.tokens;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.RegistrationTokenAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code PUT /_synapse/admin/v1/registration_tokens/{token}}: changes {@code uses_allowed} and
 * {@code expiry_time}, those the body names (null: no limit); 404 when unknown.
 */
public final class UpdateRegistrationTokenEndpoint extends JsonEndpoint<ObjectNode, TokenJson> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, TokenJson> SPEC =
            EndpointSpec.put("/_synapse/admin/v1/registration_tokens/{token}", ObjectNode.class, TokenJson.class);

    private final ServerAdmins admins;
    private final RegistrationTokenAdmin tokens;

    public UpdateRegistrationTokenEndpoint(ServerAdmins admins, RegistrationTokenAdmin tokens) {
        super(SPEC);
        this.admins = admins;
        this.tokens = tokens;
    }

    @Override
    protected TokenJson handle(MatrixRequest request, ObjectNode body) {
        admins.require(request.requireRequester());
        return TokenJson.of(tokens.update(request.pathParam("token"), body));
    }
}
