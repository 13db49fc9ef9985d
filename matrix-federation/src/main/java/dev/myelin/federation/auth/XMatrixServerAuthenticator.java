package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.ServerAuthenticator;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP layer's check of requests to federation endpoints: the request as received (method,
 * path and query with their percent-encoding, {@code Authorization} headers, JSON body) goes to
 * the {@link RequestVerifier}, whose refusal becomes 401 {@code M_UNAUTHORIZED} with its reason.
 * A body that is not JSON is 400 {@code M_NOT_JSON}: nothing could have signed it. A request from
 * a server the {@link FederationDomainWhitelist} leaves out is 403 {@code M_FORBIDDEN}, before its
 * keys are fetched.
 */
public final class XMatrixServerAuthenticator implements ServerAuthenticator {
    private final RequestVerifier verifier;
    private final FederationDomainWhitelist whitelist;

    /** An authenticator checking with {@code verifier}, for requests from any server. */
    public XMatrixServerAuthenticator(RequestVerifier verifier) {
        this(verifier, FederationDomainWhitelist.everyone());
    }

    /** An authenticator checking with {@code verifier}, for requests from the servers {@code whitelist} allows. */
    public XMatrixServerAuthenticator(RequestVerifier verifier, FederationDomainWhitelist whitelist) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.whitelist = Objects.requireNonNull(whitelist, "whitelist");
    }

    @Override
    public ServerName authenticate(MatrixRequest request) {
        for (String header : request.headers("Authorization")) {
            // the verifier's own test: a header it reads as X-Matrix must not pass here unchecked
            if (!XMatrixAuthorization.isXMatrix(header)) {
                continue;
            }
            try {
                ServerName origin = XMatrixAuthorization.parse(header).origin();
                if (!whitelist.allows(origin)) {
                    throw new FederationDeniedException(origin).toMatrixException();
                }
            } catch (MalformedAuthorizationException e) {
                // the verifier gives the reason
            }
        }
        String uri = request.rawPath() + request.rawQuery().map(q -> "?" + q).orElse("");
        byte[] body = request.bodyBytes();
        Optional<JsonNode> content = Optional.empty();
        if (body.length > 0) {
            try {
                content = Optional.of(CanonicalJson.parse(body));
            } catch (RuntimeException e) {
                throw MatrixException.notJson("Content not JSON.");
            }
        }
        InboundRequest inbound =
                new InboundRequest(request.method().name(), uri, request.headers("Authorization"), content);
        return verifier.verify(inbound).join().originOrThrow();
    }
}
