package dev.myelin.core.id;

/**
 * Thrown when a string is not a valid Matrix identifier of the expected kind. The message names
 * the identifier kind and the grammar rule that was broken, so it can be shown to a client as the
 * {@code error} of an {@code M_INVALID_PARAM} response.
 */
public final class InvalidIdentifierException extends IllegalArgumentException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public InvalidIdentifierException(String message) {
        super(message);
    }
}
