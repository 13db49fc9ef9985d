package dev.myelin.core.json;

/**
 * Thrown when JSON cannot be written or accepted as canonical JSON: a float, an integer outside
 * {@code [-(2^53)+1, 2^53-1]}, a duplicate key (strict parsing), a lone surrogate, or text that is
 * not JSON at all. The message names the path of the offending value, such as
 * {@code content.body.x} or {@code prev_events[2]}, so it can be returned as {@code M_BAD_JSON}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#canonical-json">Canonical JSON</a>
 */
public final class CanonicalJsonException extends IllegalArgumentException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public CanonicalJsonException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public CanonicalJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
