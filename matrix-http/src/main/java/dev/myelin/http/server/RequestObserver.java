package dev.myelin.http.server;

/**
 * Told of every request the server answered, once its response is written: the hook metrics
 * count requests and time them with. It runs on the request's thread, so it must be quick and
 * must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    /** Observes nothing. */
    RequestObserver NONE = (endpoint, method, status, nanos) -> {};

    /** What {@link #completed} is given as the endpoint of a request that matched none. */
    String UNMATCHED = "unmatched";

    /**
     * One request was answered.
     *
     * @param endpoint the path template of the endpoint that answered (e.g. {@code
     *     /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}}): a bounded set of values,
     *     unlike the request path; {@link #UNMATCHED} when no endpoint matched
     * @param method the request method as sent
     * @param status the response status
     * @param nanos how long the request took, on the server's clock
     */
    void completed(String endpoint, String method, int status, long nanos);
}
