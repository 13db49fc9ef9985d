package dev.myelin.federation.keys;

/** A server's keys could not be fetched: it could not be reached, or its answer was not valid. */
public final class KeyFetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the server and what went wrong. */
    public KeyFetchException(String message) {
        super(message);
    }

    /** With a message and the failure behind it. */
    public KeyFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
