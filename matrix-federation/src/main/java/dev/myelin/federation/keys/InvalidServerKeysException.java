package dev.myelin.federation.keys;

/**
 * A key response that cannot be used: wrong shape, another server's name, a key that does not
 * decode, or no valid signature by the server itself. The message says which.
 */
public final class InvalidServerKeysException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public InvalidServerKeysException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public InvalidServerKeysException(String message, Throwable cause) {
        super(message, cause);
    }
}
