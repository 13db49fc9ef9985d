package dev.myelin.server.handler.threepid;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code m.login.email.identity} auth stage: the client names a validation session ({@code
 * threepid_creds}) that proved an email address. Registration then adds the address to the new
 * account; a password reset changes the password of the account the address belongs to.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#email-based-identity--homeserver">Email-based (identity / homeserver)</a>
 */
public final class EmailIdentityStage implements UserInteractiveAuth.Stage {
    /** The stage's type. */
    public static final String TYPE = "m.login.email.identity";

    /** As long as a UIA session lives, and a little longer. */
    private static final Duration KEPT = Duration.ofMinutes(40);

    private final EmailValidation validation;
    private final ThreePids threePids;
    private final Clock clock;
    private final Map<String, Proven> bySession = new ConcurrentHashMap<>();

    private record Proven(EmailValidation.Validated address, long atMs) {}

    public EmailIdentityStage(EmailValidation validation, ThreePids threePids, Clock clock) {
        this.validation = validation;
        this.threePids = threePids;
        this.clock = clock;
    }

    /** Whether the server offers the stage (it validates email addresses). */
    public boolean offered() {
        return validation.enabled();
    }

    @Override
    public void complete(String session, AuthenticationData auth) {
        AuthenticationData.ThreePidCredentials creds = auth.threepidCreds();
        if (creds == null) {
            throw new MatrixException(401, ErrorCode.MISSING_PARAM, "Missing threepid_creds");
        }
        EmailValidation.Validated validated;
        try {
            validated = validation.validated(
                    ThreePidInput.sid(creds.sid()), ThreePidInput.clientSecret(creds.clientSecret()));
        } catch (MatrixException e) {
            throw new MatrixException(401, ErrorCode.UNAUTHORIZED, "Unable to get validated threepid");
        }
        long now = clock.nowMillis();
        bySession.values().removeIf(p -> p.atMs() < now - KEPT.toMillis());
        bySession.put(session, new Proven(validated, now));
    }

    /** The address the session's stage proved, if it was completed. */
    public Optional<EmailValidation.Validated> proven(String session) {
        return Optional.ofNullable(bySession.get(session)).map(Proven::address);
    }

    /**
     * Before a registration creates its account: 400 {@code M_THREEPID_IN_USE} when the proven
     * address already belongs to an account.
     */
    public void checkUnused(String session) {
        proven(session).ifPresent(address -> {
            if (threePids.owner(address.medium(), address.address()).isPresent()) {
                throw new MatrixException(400, ErrorCode.THREEPID_IN_USE, "Email is already in use");
            }
        });
    }

    /** After a registration created {@code user}: the proven address becomes the account's. */
    public void registered(String session, UserId user) {
        proven(session).ifPresent(address -> threePids.addValidated(user, address));
    }

    /** The account whose address the session proved (a password reset); 400 {@code M_THREEPID_NOT_FOUND} if none. */
    public UserId accountOf(String session) {
        EmailValidation.Validated address = proven(session)
                .orElseThrow(() -> new MatrixException(401, ErrorCode.UNAUTHORIZED, "No validated email"));
        return threePids
                .owner(address.medium(), address.address())
                .orElseThrow(() -> new MatrixException(400, ErrorCode.THREEPID_NOT_FOUND, "Email not found"));
    }
}
