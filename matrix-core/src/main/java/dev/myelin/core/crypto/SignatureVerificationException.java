package dev.myelin.core.crypto;

/**
 * Thrown when a signature check fails. The message says which step failed: no signature from
 * the entity, none for the key id, a signature that is not base64, or one that does not verify.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#checking-for-a-signature">Checking for a signature</a>
 */
public final class SignatureVerificationException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public SignatureVerificationException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public SignatureVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
