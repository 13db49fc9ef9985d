package dev.myelin.http.client;

/** An outbound HTTP request failed: connection, timeout, size limit or a refused destination. */
public class OutboundHttpException extends RuntimeException {

    public OutboundHttpException(String message, Throwable cause) {
        super(message, cause);
    }
}
