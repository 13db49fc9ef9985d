package dev.myelin.server.api.admin.tokens;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.RegistrationTokenAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/** {@code GET /_synapse/admin/v1/registration_tokens/{token}}: one token; 404 when unknown. */
public final class GetRegistrationTokenEndpoint extends JsonEndpoint<NoBody, TokenJson> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, TokenJson> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/registration_tokens/{token}", TokenJson.class);

    private final ServerAdmins admins;
    private final RegistrationTokenAdmin tokens;

    public GetRegistrationTokenEndpoint(ServerAdmins admins, RegistrationTokenAdmin tokens) {
        super(SPEC);
        this.admins = admins;
        this.tokens = tokens;
    }

    @Override
    protected TokenJson handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        return TokenJson.of(tokens.get(request.pathParam("token")));
    }
}
