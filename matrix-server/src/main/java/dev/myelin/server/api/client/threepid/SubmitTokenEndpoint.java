package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.EmailValidation;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ValidationPurpose;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST <submit path>} with {@code {sid, client_secret, token}}: the JSON way of handing the
 * mailed token back (the identity service API's {@code submitToken} shape), answering {@code
 * {"success": true}}, or 400 {@code M_THREEPID_AUTH_FAILED} for a wrong or expired token.
 */
public final class SubmitTokenEndpoint extends JsonEndpoint<SubmitTokenEndpoint.Request, SubmitTokenEndpoint.Response> {
    /** The session and the token mailed. */
    public record Request(
            @Nullable String sid,
            @Nullable String clientSecret,
            @Nullable String token) {}

    /** Always true: a failure is an error. */
    public record Response(boolean success) {}

    private final EmailValidation validation;

    public SubmitTokenEndpoint(ValidationPurpose purpose, EmailValidation validation) {
        super(EndpointSpec.post(purpose.submitPath(), Request.class, Response.class)
                .noAuth());
        this.validation = validation;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        if (body.token() == null) {
            throw MatrixException.missingParam("token");
        }
        validation.submit(ThreePidInput.sid(body.sid()), ThreePidInput.clientSecret(body.clientSecret()), body.token());
        return new Response(true);
    }
}
