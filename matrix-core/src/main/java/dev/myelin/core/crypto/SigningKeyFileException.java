package dev.myelin.core.crypto;

/** Thrown when a signing key file is malformed; the message names the line and what is wrong. */
public final class SigningKeyFileException extends IllegalArgumentException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public SigningKeyFileException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public SigningKeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
