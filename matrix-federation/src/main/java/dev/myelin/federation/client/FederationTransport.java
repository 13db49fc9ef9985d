package dev.myelin.federation.client;

import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.client.ResponseTooLargeException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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

    /**
     * Sends the request and buffers at most {@code maxResponseBytes} of the answer. This default
     * checks the size once the answer is buffered; {@link #over} stops reading at the limit.
     *
     * @throws ResponseTooLargeException when the body is larger
     * @throws dev.myelin.http.client.OutboundHttpException when the target cannot be reached
     */
    default OutboundResponse send(OutboundRequest request, String connectHost, int maxResponseBytes) {
        OutboundResponse response = send(request, connectHost);
        if (response.body().length > maxResponseBytes) {
            throw new ResponseTooLargeException(maxResponseBytes, null);
        }
        return response;
    }

    /**
     * The transport over real HTTP clients: {@code client} picks the one for a request (one that
     * checks certificates, or one that does not for hosts configured so).
     */
    static FederationTransport over(Function<OutboundRequest, MatrixHttpClient> client) {
        return new FederationTransport() {
            @Override
            public OutboundResponse send(OutboundRequest request, String connectHost) {
                return client.apply(request).send(request, connectHost);
            }

            @Override
            public OutboundResponse send(OutboundRequest request, String connectHost, int maxResponseBytes) {
                return client.apply(request).send(request, connectHost, maxResponseBytes);
            }
        };
    }

    /**
     * Sends a request to each target of {@code destination} in turn until one answers: the URL
     * names the certificate name and the target's port, the connection goes to the target, and the
     * {@code Host} header is the one discovery gave.
     *
     * @param uri the path and query, percent-encoded
     * @param headers headers besides {@code Host}
     * @return the first answer, whatever its status
     * @throws FederationUnreachableException when no target can be reached
     */
    default OutboundResponse sendToDestination(
            ResolvedDestination destination,
            String method,
            String uri,
            Map<String, List<String>> headers,
            Optional<OutboundRequest.Body> body) {
        return sendToDestination(destination, method, uri, headers, body, -1);
    }

    /**
     * Like {@link #sendToDestination(ResolvedDestination, String, String, Map, Optional)}, buffering
     * at most {@code maxResponseBytes} of the answer ({@code -1}: the transport's own limit). A
     * target that answers with more is not tried again, nor are the others: it answered.
     *
     * @throws ResponseTooLargeException when the answer is larger
     */
    default OutboundResponse sendToDestination(
            ResolvedDestination destination,
            String method,
            String uri,
            Map<String, List<String>> headers,
            Optional<OutboundRequest.Body> body,
            int maxResponseBytes) {
        Map<String, List<String>> withHost = new LinkedHashMap<>(headers);
        withHost.put("Host", List.of(destination.hostHeader()));
        String name = destination.certificateName();
        String host = name.contains(":") ? "[" + name + "]" : name;
        List<String> failures = new ArrayList<>();
        OutboundHttpException last = null;
        for (ResolvedDestination.Target target : destination.targets()) {
            URI address = URI.create("https://" + host + ":" + target.port() + uri);
            try {
                OutboundRequest request = new OutboundRequest(method, address, withHost, body);
                return maxResponseBytes < 0
                        ? send(request, target.host())
                        : send(request, target.host(), maxResponseBytes);
            } catch (ResponseTooLargeException e) {
                throw e;
            } catch (OutboundHttpException e) {
                failures.add(target.authority() + ": " + e.getMessage());
                last = e;
            }
        }
        throw new FederationUnreachableException(destination.serverName(), String.join("; ", failures), last);
    }
}
