package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.EmailValidation;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ValidationPurpose;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/{register,account/password,account/3pid}/email/requestToken}: mails
 * a validation link to the address and answers the session's {@code sid}. Registration and adding
 * refuse an address that belongs to an account ({@code M_THREEPID_IN_USE}); a password reset
 * refuses one that does not ({@code M_THREEPID_NOT_FOUND}). {@code id_server} is ignored: this
 * server validates addresses itself, as Synapse does with {@code threepid_behaviour_email: local}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3registeremailrequesttoken">register</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountpasswordemailrequesttoken">password</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3pidemailrequesttoken">3pid</a>
 */
public final class EmailRequestTokenEndpoint
        extends JsonEndpoint<EmailRequestTokenEndpoint.Request, EmailRequestTokenEndpoint.Response> {
    /** The registration variant's definition. */
    public static final EndpointSpec<Request, Response> REGISTER =
            spec("/_matrix/client/v3/register/email/requestToken");
    /** The password reset variant's definition. */
    public static final EndpointSpec<Request, Response> PASSWORD =
            spec("/_matrix/client/v3/account/password/email/requestToken");
    /** The adding variant's definition. */
    public static final EndpointSpec<Request, Response> ADD =
            spec("/_matrix/client/v3/account/3pid/email/requestToken");

    private static EndpointSpec<Request, Response> spec(String path) {
        return EndpointSpec.post(path, Request.class, Response.class).noAuth();
    }

    /** The address, the client's secret and attempt counter, and where to go after validating. */
    public record Request(
            @Nullable String clientSecret,
            @Nullable String email,
            @Nullable Long sendAttempt,
            @Nullable String nextLink,
            @Nullable String idServer,
            @Nullable String idAccessToken) {}

    /** The validation session. */
    public record Response(String sid) {}

    private final ValidationPurpose purpose;
    private final EmailValidation validation;

    public EmailRequestTokenEndpoint(ValidationPurpose purpose, EmailValidation validation) {
        super(
                switch (purpose) {
                    case REGISTRATION -> REGISTER;
                    case PASSWORD_RESET -> PASSWORD;
                    case ADD_THREEPID -> ADD;
                });
        this.purpose = purpose;
        this.validation = validation;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        String secret = ThreePidInput.clientSecret(body.clientSecret());
        String email = ThreePidInput.email(body.email(), "email");
        if (body.sendAttempt() == null) {
            throw MatrixException.missingParam("send_attempt");
        }
        String nextLink = ThreePidInput.nextLink(body.nextLink());
        return new Response(
                validation.requestToken(purpose, secret, email, body.sendAttempt(), Optional.ofNullable(nextLink)));
    }
}
