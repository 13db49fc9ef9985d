package dev.myelin.federation.client;

import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        Map<String, List<String>> withHost = new LinkedHashMap<>(headers);
        withHost.put("Host", List.of(destination.hostHeader()));
        String name = destination.certificateName();
        String host = name.contains(":") ? "[" + name + "]" : name;
        List<String> failures = new ArrayList<>();
        OutboundHttpException last = null;
        for (ResolvedDestination.Target target : destination.targets()) {
            URI address = URI.create("https://" + host + ":" + target.port() + uri);
            try {
                return send(new OutboundRequest(method, address, withHost, body), target.host());
            } catch (OutboundHttpException e) {
                failures.add(target.authority() + ": " + e.getMessage());
                last = e;
            }
        }
        throw new FederationUnreachableException(destination.serverName(), String.join("; ", failures), last);
    }
}
