package dev.myelin.core.event;

/**
 * Thrown when an event is over one of the {@link PduLimits}: servers answer it as 413
 * {@code M_TOO_LARGE}. The message names the key or the size that is over its limit.
 */
public final class EventTooLargeException extends IllegalArgumentException {
    /**
     * Creates the exception.
     *
     * @param message what is too large
     */
    public EventTooLargeException(String message) {
        super(message);
    }
}
