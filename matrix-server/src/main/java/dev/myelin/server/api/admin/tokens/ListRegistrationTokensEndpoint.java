package dev.myelin.server.api.admin.tokens;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.RegistrationTokenAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /_synapse/admin/v1/registration_tokens[?valid=true|false]}: every registration token,
 * or only the valid (or invalid: expired or used up) ones.
 */
public final class ListRegistrationTokensEndpoint
        extends JsonEndpoint<NoBody, ListRegistrationTokensEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/registration_tokens", Response.class);

    /** The tokens. */
    public record Response(List<TokenJson> registrationTokens) {}

    private final ServerAdmins admins;
    private final RegistrationTokenAdmin tokens;

    public ListRegistrationTokensEndpoint(ServerAdmins admins, RegistrationTokenAdmin tokens) {
        super(SPEC);
        this.admins = admins;
        this.tokens = tokens;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        Optional<Boolean> valid = request.queryParam("valid").map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("valid", "must be true or false");
        });
        return new Response(tokens.list(valid).stream().map(TokenJson::of).toList());
    }
}
