package dev.myelin.http.client;

/**
 * The one-method seam through which Myelin sends outbound HTTP requests (federation, application
 * services, push gateways). {@link MatrixHttpClient} is the real implementation; tests substitute
 * an in-process one (matrix-testing's {@code TestFederation}) that routes requests to other
 * homeservers in the same JVM without sockets.
 *
 * <p>Implementations block the calling (virtual) thread until the response is buffered, and are
 * thread-safe.
 */
@FunctionalInterface
public interface HttpTransport {

    /**
     * Sends a request and buffers the response. Non-2xx statuses are responses, not exceptions.
     *
     * @throws OutboundHttpException if no response arrived: connection failure, timeout, size
     *     limit or a refused destination
     */
    OutboundResponse send(OutboundRequest request);
}
