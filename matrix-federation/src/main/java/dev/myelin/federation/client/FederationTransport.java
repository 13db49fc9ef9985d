package dev.myelin.federation.client;

import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;

/**
 * Sends one federation request: the request URI names the server as TLS must see it, {@code
 * connectHost} the host to connect to. {@link MatrixHttpClient#send(OutboundRequest, String)} is
 * the real one ({@code http::send}); in-process test federations route by the URI's host instead.
 */
@FunctionalInterface
public interface FederationTransport {

    /**
     * Sends the request and buffers the answer.
     *
     * @throws dev.myelin.http.client.OutboundHttpException when the target cannot be reached
     */
    OutboundResponse send(OutboundRequest request, String connectHost);
}
