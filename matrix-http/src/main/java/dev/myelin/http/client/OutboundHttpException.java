package dev.myelin.http.client;

/** An outbound HTTP request failed: connection, timeout, size limit or a refused destination. */
public class OutboundHttpException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the underlying failure, or null
     */
    public OutboundHttpException(String message, Throwable cause) {
        super(message, cause);
    }
}
