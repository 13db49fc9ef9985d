package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.auth.RegistrationTokens;

/**
 * {@code GET /_matrix/client/v1/register/m.login.registration_token/validity?token=}: whether a
 * registration token could register an account now (false for an unknown one); 400 {@code
 * M_INVALID_PARAM} for a malformed token, 403 when registration is off. Rate limited as
 * registration is, against guessing.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1registermloginregistration_tokenvalidity">spec</a>
 */
public final class RegistrationTokenValidityEndpoint
        extends JsonEndpoint<NoBody, RegistrationTokenValidityEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/client/v1/register/m.login.registration_token/validity", Response.class)
            .noAuth()
            .rateLimited("registration");

    /** Whether the token is valid now. */
    public record Response(boolean valid) {}

    private final RegistrationTokens tokens;
    private final boolean registrationEnabled;

    public RegistrationTokenValidityEndpoint(RegistrationTokens tokens, boolean registrationEnabled) {
        super(SPEC);
        this.tokens = tokens;
        this.registrationEnabled = registrationEnabled;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        if (!registrationEnabled) {
            throw MatrixException.forbidden("Registration is not enabled on this homeserver.");
        }
        return new Response(tokens.valid(request.requireQueryParam("token")));
    }
}
