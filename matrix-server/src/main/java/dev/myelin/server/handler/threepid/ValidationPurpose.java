package dev.myelin.server.handler.threepid;

/**
 * Why an address is being validated: each {@code requestToken} endpoint has its own checks, its
 * own mail and its own {@code submit_token} link, as in Synapse.
 */
public enum ValidationPurpose {
    /** {@code /register/email/requestToken}: the address must not belong to an account yet. */
    REGISTRATION(
            "/_synapse/client/registration/email/submit_token",
            "Email-based registration has been disabled on this server"),
    /** {@code /account/password/email/requestToken}: the address must belong to an account. */
    PASSWORD_RESET(
            "/_synapse/client/password_reset/email/submit_token", "Password reset emails are disabled on this server"),
    /** {@code /account/3pid/email/requestToken}: the address must not belong to an account yet. */
    ADD_THREEPID(
            "/_matrix/client/unstable/add_threepid/email/submit_token",
            "Adding an email to your account is disabled on this server");

    private final String submitPath;
    private final String disabledMessage;

    ValidationPurpose(String submitPath, String disabledMessage) {
        this.submitPath = submitPath;
        this.disabledMessage = disabledMessage;
    }

    /** The path of the link mailed, where the token comes back (GET) or is posted. */
    public String submitPath() {
        return submitPath;
    }

    /** The error when the server validates no email addresses (Synapse's wording). */
    public String disabledMessage() {
        return disabledMessage;
    }
}
