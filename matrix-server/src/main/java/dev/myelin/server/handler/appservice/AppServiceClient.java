package dev.myelin.server.handler.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.server.config.AppServiceRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The homeserver's side of the Application Service API: the requests it makes to a service, each
 * authenticated with the service's {@code hs_token} as {@code Authorization: Bearer}.
 *
 * <p>A service registered without a {@code url} is never called: every call answers as if the
 * service had nothing to say. A service that cannot be reached ends in {@link
 * OutboundHttpException}, a non-2xx answer in {@link Answer#ok()} false; neither is retried here.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/">Application Service API</a>
 */
public final class AppServiceClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/_matrix/app/v1";

    private final HttpTransport http;

    public AppServiceClient(HttpTransport http) {
        this.http = http;
    }

    /**
     * What a service answered.
     *
     * @param status the HTTP status (0 when the service has no url)
     * @param body the JSON body, {@code null} when there is none or it is not JSON
     */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        static Answer none() {
            return new Answer(0, null);
        }
    }

    /** {@code PUT /transactions/{txnId}}: events (and ephemeral events) pushed to the service. */
    public Answer pushTransaction(AppServiceRegistration service, long txnId, String body) {
        return send(service, "PUT", "/transactions/" + txnId, Map.of(), Optional.of(body));
    }

    /** {@code GET /users/{userId}}: whether the service has (or just made) this user. */
    public boolean queryUser(AppServiceRegistration service, String userId) {
        return send(service, "GET", "/users/" + encode(userId), Map.of(), Optional.empty())
                .ok();
    }

    /** {@code GET /rooms/{roomAlias}}: whether the service has (or just made) this alias. */
    public boolean queryAlias(AppServiceRegistration service, String alias) {
        return send(service, "GET", "/rooms/" + encode(alias), Map.of(), Optional.empty())
                .ok();
    }

    /** {@code GET /thirdparty/protocol/{protocol}}: the service's description of a protocol. */
    public Answer protocol(AppServiceRegistration service, String protocol) {
        return send(service, "GET", "/thirdparty/protocol/" + encode(protocol), Map.of(), Optional.empty());
    }

    /**
     * {@code GET /thirdparty/{kind}/{protocol}} with the query's fields, or {@code GET
     * /thirdparty/{kind}} with {@code alias} or {@code userid} when {@code protocol} is empty.
     *
     * @param kind {@code location} or {@code user}
     */
    public Answer thirdPartyLookup(
            AppServiceRegistration service, String kind, Optional<String> protocol, Map<String, List<String>> query) {
        String path = "/thirdparty/" + kind + protocol.map(p -> "/" + encode(p)).orElse("");
        return send(service, "GET", path, query, Optional.empty());
    }

    /** {@code POST /ping}, with the transaction id the client gave, if any. */
    public Answer ping(AppServiceRegistration service, Optional<String> transactionId) {
        JsonNode body = JSON.createObjectNode();
        transactionId.ifPresent(t -> ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("transaction_id", t));
        return send(service, "POST", "/ping", Map.of(), Optional.of(body.toString()));
    }

    private Answer send(
            AppServiceRegistration service,
            String method,
            String path,
            Map<String, List<String>> query,
            Optional<String> body) {
        if (service.url().isEmpty()) {
            return Answer.none();
        }
        URI uri = URI.create(base(service.url().get()) + PREFIX + path + queryString(query));
        Optional<OutboundRequest.Body> payload =
                body.map(b -> new OutboundRequest.Body("application/json", b.getBytes(StandardCharsets.UTF_8)));
        OutboundResponse response = http.send(new OutboundRequest(
                method,
                uri,
                Map.of("Authorization", List.of("Bearer " + service.hsToken()), "Accept", List.of("application/json")),
                payload));
        return new Answer(response.status(), parse(response.body()));
    }

    /** The service's url without a trailing slash (a url with a path keeps it: a service behind a prefix). */
    private static String base(URI url) {
        String s = url.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String queryString(Map<String, List<String>> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner out = new StringJoiner("&", "?", "");
        query.forEach((key, values) -> values.forEach(v -> out.add(encode(key) + "=" + encode(v))));
        return out.toString();
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
