package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.threepid.EmailValidation;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ValidationPurpose;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET <submit path>?token=&client_secret=&sid=}: the link mailed by {@code requestToken}.
 * Opening it validates the session and shows a short page, or redirects to the client's {@code
 * next_link}; a wrong or expired token shows the failure (status 400); a link without its
 * parameters is answered with a Matrix error. The paths are Synapse's
 * ({@code /_synapse/client/registration/email/submit_token}, {@code
 * /_synapse/client/password_reset/email/submit_token}, {@code
 * /_matrix/client/unstable/add_threepid/email/submit_token}), so links stay the same for users
 * of a server that moved from Synapse.
 */
public final class SubmitTokenPageEndpoint extends SpecEndpoint {
    private final EmailValidation validation;

    public SubmitTokenPageEndpoint(ValidationPurpose purpose, EmailValidation validation) {
        super(EndpointSpec.get(purpose.submitPath(), NoBody.class).noAuth());
        this.validation = validation;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        // a link without its parameters is no link this server mailed: a Matrix error, not a page
        String sid = ThreePidInput.sid(request.queryParam("sid").orElse(null));
        String secret =
                ThreePidInput.clientSecret(request.queryParam("client_secret").orElse(null));
        String token = request.queryParam("token").orElseThrow(() -> MatrixException.missingParam("token"));
        Optional<String> next;
        try {
            next = validation.submit(sid, secret, token);
        } catch (MatrixException e) {
            return page(e.status(), "Your email could not be validated: " + e.getMessage() + ".");
        }
        if (next.isPresent()) {
            return MatrixResponse.bytes(302, "text/plain; charset=utf-8", new byte[0])
                    .withHeader("Location", next.get());
        }
        return page(200, "Your email has been validated. You may now return to your client.");
    }

    private static MatrixResponse page(int status, String message) {
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Email validation</title></head>"
                + "<body><p>" + escape(message) + "</p></body></html>\n";
        return MatrixResponse.bytes(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
