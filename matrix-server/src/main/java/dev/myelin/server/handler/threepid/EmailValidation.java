package dev.myelin.server.handler.threepid;

import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.config.EmailConfig;
import dev.myelin.server.mail.MailException;
import dev.myelin.server.mail.MailMessage;
import dev.myelin.server.mail.Mailer;
import dev.myelin.storage.threepid.ThreePidStore;
import dev.myelin.storage.threepid.ValidationSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that whoever asks owns an email address: {@code requestToken} mails a link with a token,
 * and the token coming back through {@code submit_token} validates the session, which
 * registration, password reset and adding a 3PID then name by {@code sid} and {@code
 * client_secret}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#adding-account-administrative-contact-information">Adding contact information</a>
 */
public final class EmailValidation {
    /** The longest email address taken, as RFC 5321 limits a path. */
    private static final int MAX_ADDRESS_LENGTH = 254;
    /** The spec's grammar of a client secret. */
    private static final Pattern CLIENT_SECRET = Pattern.compile("[0-9a-zA-Z.=_-]{1,255}");

    private static final Logger LOG = LoggerFactory.getLogger(EmailValidation.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final ThreePidStore store;
    private final Optional<EmailConfig> config;
    private final Optional<Mailer> mailer;
    private final String publicBaseUrl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param config the {@code email} section; validation is off without it or with {@code
     *     threepid_behaviour_email: off}
     * @param publicBaseUrl the server's {@code public_baseurl}, ending in a slash, which mailed links start with
     */
    public EmailValidation(
            ThreePidStore store,
            Optional<EmailConfig> config,
            Optional<Mailer> mailer,
            String publicBaseUrl,
            Clock clock) {
        this.store = store;
        this.config = config.filter(EmailConfig::localValidation);
        this.mailer = mailer;
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl : publicBaseUrl + "/";
        this.clock = clock;
    }

    /** Whether the server validates email addresses (and so offers the email stage and endpoints). */
    public boolean enabled() {
        return config.isPresent() && mailer.isPresent();
    }

    /**
     * Starts (or continues) the validation of {@code email} for {@code purpose} and mails the token,
     * unless {@code sendAttempt} is not above the session's last one; the session's {@code sid}.
     */
    public String requestToken(
            ValidationPurpose purpose, String clientSecret, String email, long sendAttempt, Optional<String> nextLink) {
        if (!enabled()) {
            throw new MatrixException(
                    400,
                    purpose == ValidationPurpose.ADD_THREEPID
                            ? ErrorCode.THREEPID_MEDIUM_NOT_SUPPORTED
                            : ErrorCode.UNKNOWN,
                    purpose.disabledMessage());
        }
        checkClientSecret(clientSecret);
        if (email.indexOf('\0') >= 0 || email.length() > MAX_ADDRESS_LENGTH) {
            throw MatrixException.invalidParam("email", "is not an email address");
        }
        boolean owned = store.owner("email", email).isPresent();
        if (purpose == ValidationPurpose.PASSWORD_RESET && !owned) {
            throw new MatrixException(400, ErrorCode.THREEPID_NOT_FOUND, "Email not found");
        }
        if (purpose != ValidationPurpose.PASSWORD_RESET && owned) {
            throw new MatrixException(400, ErrorCode.THREEPID_IN_USE, "Email is already in use");
        }
        long now = clock.nowMillis();
        store.dropSessionsBefore(
                now - config.orElseThrow().validationTokenLifetime().toMillis());
        Optional<ValidationSession> existing = store.sessionFor(clientSecret, "email", email);
        if (existing.isPresent() && existing.get().sendAttempt() >= sendAttempt) {
            return existing.get().sessionId();
        }
        String sid = existing.map(ValidationSession::sessionId).orElseGet(() -> randomString(24));
        String token = randomString(32);
        long expires = now + config.orElseThrow().validationTokenLifetime().toMillis();
        store.saveSession(new ValidationSession(
                sid,
                "email",
                email,
                clientSecret,
                sendAttempt,
                token,
                expires,
                nextLink,
                existing.flatMap(ValidationSession::validatedAt)));
        send(purpose, email, sid, clientSecret, token);
        return sid;
    }

    private void send(ValidationPurpose purpose, String email, String sid, String clientSecret, String token) {
        EmailConfig mail = config.orElseThrow();
        String link = publicBaseUrl + purpose.submitPath().substring(1) + "?token=" + encode(token) + "&client_secret="
                + encode(clientSecret) + "&sid=" + encode(sid);
        String what = switch (purpose) {
            case REGISTRATION -> "register an account on " + mail.appName();
            case PASSWORD_RESET -> "reset the password of your " + mail.appName() + " account";
            case ADD_THREEPID -> "add this address to your " + mail.appName() + " account";
        };
        String subject = switch (purpose) {
            case REGISTRATION -> "[" + mail.appName() + "] Validate your email";
            case PASSWORD_RESET -> "[" + mail.appName() + "] Password reset";
            case ADD_THREEPID -> "[" + mail.appName() + "] Validate your email";
        };
        String text = "Someone asked to use this email address to " + what + ".\n\n"
                + "If that was you, open this link to confirm it:\n\n" + link + "\n\n"
                + "If it was not you, ignore this mail.\n";
        try {
            mailer.orElseThrow().send(new MailMessage(mail.notifFrom(), email, subject, text));
        } catch (MailException e) {
            LOG.warn("could not send the validation mail: {}", e.toString());
            throw new MatrixException(500, ErrorCode.UNKNOWN, "Could not send the validation email");
        }
    }

    /**
     * Validates the session with the mailed token; where to send the browser next (the client's
     * {@code next_link}), if anywhere. Throws 400 {@code M_THREEPID_AUTH_FAILED} for an unknown
     * session or a wrong or expired token.
     */
    public Optional<String> submit(String sid, String clientSecret, String token) {
        ValidationSession session = store.session(sid)
                .filter(s -> s.clientSecret().equals(clientSecret))
                .orElseThrow(() -> new MatrixException(400, ErrorCode.THREEPID_AUTH_FAILED, "Unknown session"));
        if (session.validatedAt().isPresent()) {
            return session.nextLink();
        }
        if (!MessageDigest.isEqual(
                        session.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
                || clock.nowMillis() >= session.tokenExpires()) {
            throw new MatrixException(400, ErrorCode.THREEPID_AUTH_FAILED, "Validation token not found or has expired");
        }
        store.validated(sid, clock.nowMillis());
        return session.nextLink();
    }

    /** A validated address: what a session proved. */
    public record Validated(String medium, String address, long validatedAt) {}

    /**
     * What the session {@code sid} of {@code clientSecret} validated; 400 {@code
     * M_THREEPID_AUTH_FAILED} when it is unknown or not validated yet.
     */
    public Validated validated(String sid, String clientSecret) {
        ValidationSession session = store.session(sid)
                .filter(s -> s.clientSecret().equals(clientSecret))
                .orElseThrow(() ->
                        new MatrixException(400, ErrorCode.THREEPID_AUTH_FAILED, "No validated 3pid session found"));
        long validatedAt = session.validatedAt()
                .orElseThrow(() -> new MatrixException(
                        400, ErrorCode.THREEPID_AUTH_FAILED, "This 3pid has not been validated yet"));
        return new Validated(session.medium(), session.address(), validatedAt);
    }

    private String randomString(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The spec's grammar of a {@code client_secret}; 400 {@code M_INVALID_PARAM} otherwise. */
    private static void checkClientSecret(String clientSecret) {
        if (!CLIENT_SECRET.matcher(clientSecret).matches()) {
            throw MatrixException.invalidParam("client_secret", "must be 1 to 255 of [0-9a-zA-Z.=_-]");
        }
    }
}
