package dev.myelin.federation.auth;

/**
 * An {@code Authorization} header that is not a usable X-Matrix header: another scheme, broken
 * parameter syntax, or a missing or invalid {@code origin}, {@code key} or {@code sig}. The message
 * says which, in words fit for the 401 answer.
 */
public final class MalformedAuthorizationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public MalformedAuthorizationException(String message) {
        super(message);
    }
}
