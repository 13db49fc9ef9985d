package dev.myelin.server.api.admin.tokens;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.RegistrationTokenAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code POST /_synapse/admin/v1/registration_tokens/new}: creates a token, the given {@code
 * token} or a random one of {@code length} (default 16) characters, with {@code uses_allowed} and
 * {@code expiry_time} (null, the default, for no limit).
 */
public final class NewRegistrationTokenEndpoint extends JsonEndpoint<ObjectNode, TokenJson> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, TokenJson> SPEC = EndpointSpec.post(
                    "/_synapse/admin/v1/registration_tokens/new", ObjectNode.class, TokenJson.class)
            .bodyMayBeAbsent();

    private final ServerAdmins admins;
    private final RegistrationTokenAdmin tokens;

    public NewRegistrationTokenEndpoint(ServerAdmins admins, RegistrationTokenAdmin tokens) {
        super(SPEC);
        this.admins = admins;
        this.tokens = tokens;
    }

    @Override
    protected TokenJson handle(MatrixRequest request, ObjectNode body) {
        admins.require(request.requireRequester());
        return TokenJson.of(tokens.create(body));
    }
}
