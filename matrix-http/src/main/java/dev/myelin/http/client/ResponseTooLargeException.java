package dev.myelin.http.client;

/**
 * The answer's body was larger than the limit the request was sent with; reading it stopped there
 * and the connection was aborted. Unlike other {@link OutboundHttpException}s, the server was
 * reached and answered.
 */
public final class ResponseTooLargeException extends OutboundHttpException {
    private final long limit;

    /**
     * Creates the exception.
     *
     * @param limit the largest body that was accepted, in bytes
     */
    public ResponseTooLargeException(long limit, Throwable cause) {
        super("response body exceeds the limit of " + limit + " bytes", cause);
        this.limit = limit;
    }

    /** The largest body that was accepted, in bytes. */
    public long limit() {
        return limit;
    }
}
