package dev.myelin.core.event;

/**
 * Thrown when JSON does not form a valid event for its room version: a required key is missing,
 * a value has the wrong type, or an identifier is malformed. The message names the key.
 */
public final class InvalidEventException extends IllegalArgumentException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public InvalidEventException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
