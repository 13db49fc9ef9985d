package dev.myelin.federation.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.auth.XMatrixAuthorization;
import dev.myelin.federation.backoff.DestinationAttempt;
import dev.myelin.federation.backoff.DestinationBackoff;
import dev.myelin.federation.backoff.DestinationInBackoffException;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.federation.discovery.ServerDiscoveryException;
import dev.myelin.federation.discovery.ServerNameResolver;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.client.ResponseTooLargeException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sends authenticated requests to other homeservers: finds where the destination is with a
 * {@link ServerNameResolver}, signs each request with this server's key (an X-Matrix
 * {@code Authorization} header), and sends it with the blocklisting {@code MatrixHttpClient} to
 * each target in turn until one answers, checking the TLS certificate for the name the spec says
 * and sending the {@code Host} header it says.
 *
 * <p>Calls block; use them from virtual threads. Retries over time and per-destination backoff are
 * the caller's (the transaction queue's); this class tries each target of one resolution once.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#resolving-server-names">Resolving server names</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#request-authentication">Request authentication</a>
 */
public final class FederationClient {
    private final RequestSigner signer;
    private final ServerNameResolver resolver;
    private final FederationTransport http;
    private final FederationDomainWhitelist whitelist;
    private final @Nullable DestinationBackoff backoff;
    private final boolean ignoreBackoff;

    /**
     * Creates a client that federates with every server.
     *
     * @param signer signs requests as this server
     * @param resolver finds other servers
     * @param http sends the requests: {@code matrixHttpClient::send} (its blocklist, timeouts and
     *     trusted CAs apply)
     */
    public FederationClient(RequestSigner signer, ServerNameResolver resolver, FederationTransport http) {
        this(signer, resolver, http, FederationDomainWhitelist.everyone());
    }

    /**
     * Creates a client that sends only to the servers {@code whitelist} allows.
     *
     * @param signer signs requests as this server
     * @param resolver finds other servers
     * @param http sends the requests
     * @param whitelist the servers requests may go to
     */
    public FederationClient(
            RequestSigner signer,
            ServerNameResolver resolver,
            FederationTransport http,
            FederationDomainWhitelist whitelist) {
        this(signer, resolver, http, whitelist, null, false);
    }

    private FederationClient(
            RequestSigner signer,
            ServerNameResolver resolver,
            FederationTransport http,
            FederationDomainWhitelist whitelist,
            @Nullable DestinationBackoff backoff,
            boolean ignoreBackoff) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.http = Objects.requireNonNull(http, "http");
        this.whitelist = Objects.requireNonNull(whitelist, "whitelist");
        this.backoff = backoff;
        this.ignoreBackoff = ignoreBackoff;
    }

    /**
     * This client, minding each destination's backoff: a destination in backoff is not contacted
     * (the call fails at once with {@link FederationUnreachableException}), and each request counts
     * as an attempt, its failure growing the backoff and its success resetting it. For requests
     * someone waits for; the transaction queue keeps the backoff itself.
     */
    public FederationClient withBackoff(DestinationBackoff backoff) {
        return new FederationClient(
                signer, resolver, http, whitelist, Objects.requireNonNull(backoff, "backoff"), false);
    }

    /**
     * This client, contacting destinations even while they are in backoff (Synapse's {@code
     * ignore_backoff}), for requests a user asked for and would rather see tried: a failure does not
     * grow the backoff, a success resets it.
     */
    public FederationClient ignoringBackoff() {
        return new FederationClient(signer, resolver, http, whitelist, backoff, true);
    }

    /** The servers this client sends to. */
    public FederationDomainWhitelist whitelist() {
        return whitelist;
    }

    /**
     * Sends one endpoint call to {@code destination} and binds a successful answer to the
     * endpoint's response type.
     *
     * @throws FederationErrorException when the destination answers with an error status
     * @throws FederationUnreachableException when it cannot be found or reached
     * @throws FederationDeniedException when the whitelist does not allow it
     */
    public <B, R> R send(ServerName destination, EndpointCall<B, R> call) {
        OutboundResponse response = exchange(destination, call);
        if (response.status() / 100 != 2) {
            throw FederationErrorException.of(destination, response);
        }
        try {
            return call.readResponse(response.body());
        } catch (RuntimeException e) {
            throw new FederationErrorException(
                    destination,
                    response.status(),
                    "M_NOT_JSON",
                    "the answer is not the expected JSON: " + e.getMessage());
        }
    }

    /**
     * Sends one endpoint call to {@code destination} and returns the answer, whatever its status.
     *
     * @throws FederationUnreachableException when it cannot be found or reached
     * @throws FederationDeniedException when the whitelist does not allow it
     */
    public <B, R> OutboundResponse exchange(ServerName destination, EndpointCall<B, R> call) {
        Optional<JsonNode> body = call.hasBody() ? Optional.of(EndpointJson.toTree(call.body())) : Optional.empty();
        return send(destination, call.method(), call.uri(), body);
    }

    /**
     * Sends a signed request and returns the first answer any target gives, whatever its status.
     *
     * @param uri the path and query, percent-encoded, exactly as sent (it is what is signed)
     * @throws FederationUnreachableException when the destination cannot be found or no target answers
     * @throws FederationDeniedException when the whitelist does not allow it
     */
    public OutboundResponse send(ServerName destination, String method, String uri, Optional<JsonNode> body) {
        return send(destination, method, uri, body, -1);
    }

    /**
     * Sends one endpoint call to {@code destination} and returns the answer, whatever its status,
     * buffering at most {@code maxResponseBytes} of it: for answers that are not JSON and whose
     * size another setting bounds (remote media and {@code max_upload_size}).
     *
     * @throws dev.myelin.http.client.ResponseTooLargeException when the answer is larger (the
     *     destination answered: its backoff is reset)
     * @throws FederationUnreachableException when it cannot be found or reached
     * @throws FederationDeniedException when the whitelist does not allow it
     */
    public <B, R> OutboundResponse exchange(ServerName destination, EndpointCall<B, R> call, int maxResponseBytes) {
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("negative limit " + maxResponseBytes);
        }
        Optional<JsonNode> body = call.hasBody() ? Optional.of(EndpointJson.toTree(call.body())) : Optional.empty();
        return send(destination, call.method(), call.uri(), body, maxResponseBytes);
    }

    private OutboundResponse send(
            ServerName destination, String method, String uri, Optional<JsonNode> body, int maxResponseBytes) {
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("the request URI must be a path: " + uri);
        }
        whitelist.check(destination);
        if (backoff == null) {
            return sendNow(destination, method, uri, body, maxResponseBytes);
        }
        DestinationAttempt attempt;
        try {
            attempt = ignoreBackoff ? backoff.beginIgnoringBackoff(destination) : backoff.begin(destination);
        } catch (DestinationInBackoffException e) {
            throw new FederationUnreachableException(
                    destination, "not retrying it before " + e.retryAt() + " after earlier failures", e);
        }
        OutboundResponse response;
        try {
            response = sendNow(destination, method, uri, body, maxResponseBytes);
        } catch (FederationUnreachableException e) {
            attempt.failed();
            throw e;
        } catch (ResponseTooLargeException e) {
            attempt.succeeded();
            throw e;
        }
        if (response.status() / 100 == 2) {
            attempt.succeeded();
        } else {
            attempt.answeredWithError(response.status());
        }
        return response;
    }

    private OutboundResponse sendNow(
            ServerName destination, String method, String uri, Optional<JsonNode> body, int maxResponseBytes) {
        ResolvedDestination resolved;
        try {
            resolved = resolver.resolve(destination);
        } catch (ServerDiscoveryException e) {
            throw new FederationUnreachableException(destination, "cannot resolve: " + e.getMessage(), e);
        }
        XMatrixAuthorization authorization = signer.sign(method, uri, destination, body);
        return http.sendToDestination(
                resolved,
                method,
                uri,
                Map.of("Authorization", List.of(authorization.format())),
                body.map(json -> new OutboundRequest.Body("application/json", EndpointJson.toBytes(json))),
                maxResponseBytes);
    }
}
