package dev.myelin.core.crypto;

/** Thrown when a signing key file is malformed; the message names the line and what is wrong. */
public final class SigningKeyFileException extends IllegalArgumentException {
    public SigningKeyFileException(String message) {
        super(message);
    }

    public SigningKeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
