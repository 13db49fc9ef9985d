package dev.myelin.server.api.admin.tokens;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.RegistrationTokenAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/** {@code DELETE /_synapse/admin/v1/registration_tokens/{token}}: deletes a token; 404 when unknown. */
public final class DeleteRegistrationTokenEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.delete("/_synapse/admin/v1/registration_tokens/{token}", EmptyResponse.class);

    private final ServerAdmins admins;
    private final RegistrationTokenAdmin tokens;

    public DeleteRegistrationTokenEndpoint(ServerAdmins admins, RegistrationTokenAdmin tokens) {
        super(SPEC);
        this.admins = admins;
        this.tokens = tokens;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        tokens.delete(request.pathParam("token"));
        return new EmptyResponse();
    }
}
