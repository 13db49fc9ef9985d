package dev.myelin.server.handler.threepid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls to identity servers ({@code /_matrix/identity/v2}) on a user's behalf, over the server's
 * outbound HTTP client and so through its IP blocklist: binding a validated 3PID, unbinding one,
 * looking an address up, storing a third-party invite and checking an invite key's validity. An
 * identity server is untrusted: what it answers is checked before use, and an unreachable one is a
 * 400 error of the request, never a 500.
 *
 * @see <a href="https://spec.matrix.org/v1.19/identity-service-api/">Identity Service API</a>
 */
public final class IdentityServerClient {
    private final HttpTransport http;

    public IdentityServerClient(HttpTransport http) {
        this.http = http;
    }

    /** Binds the 3PID that {@code sid} validated on the identity server to {@code mxid}; the identity server's answer. */
    public JsonNode bind(String idServer, String accessToken, String sid, String clientSecret, String mxid) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("sid", sid).put("client_secret", clientSecret).put("mxid", mxid);
        return call(idServer, "POST", "/_matrix/identity/v2/3pid/bind", Optional.of(accessToken), Optional.of(body));
    }

    /**
     * Unbinds the 3PID from {@code mxid}; true when the identity server did (or had no such
     * binding), false when it could not be reached or refused.
     */
    public boolean unbind(String idServer, String mxid, String medium, String address) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("mxid", mxid).put("id_server", idServer);
        body.putObject("threepid").put("medium", medium).put("address", address);
        try {
            OutboundResponse response =
                    send(idServer, "POST", "/_matrix/identity/v2/3pid/unbind", Optional.empty(), Optional.of(body));
            return response.status() / 100 == 2 || response.status() == 404;
        } catch (MatrixException e) {
            return false;
        }
    }

    /** The Matrix id bound to the address on the identity server, if any (a hashed v2 lookup). */
    public Optional<String> lookup(String idServer, String accessToken, String medium, String address) {
        JsonNode details =
                call(idServer, "GET", "/_matrix/identity/v2/hash_details", Optional.of(accessToken), Optional.empty());
        String pepper = details.path("lookup_pepper").asText("");
        List<String> algorithms = new java.util.ArrayList<>();
        details.path("algorithms").forEach(a -> algorithms.add(a.asText()));
        String algorithm;
        String key;
        if (algorithms.contains("sha256")) {
            algorithm = "sha256";
            key = sha256(address + " " + medium + " " + pepper);
        } else if (algorithms.contains("none")) {
            algorithm = "none";
            key = address + " " + medium;
        } else {
            throw new MatrixException(
                    400, ErrorCode.UNKNOWN, "The identity server offers no lookup algorithm this server knows");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("algorithm", algorithm).put("pepper", pepper);
        body.putArray("addresses").add(key);
        JsonNode found =
                call(idServer, "POST", "/_matrix/identity/v2/lookup", Optional.of(accessToken), Optional.of(body));
        JsonNode mxid = found.path("mappings").path(key);
        return mxid.isTextual() ? Optional.of(mxid.asText()) : Optional.empty();
    }

    /** Stores a third-party invite on the identity server; its answer (token, public keys, display name). */
    public JsonNode storeInvite(String idServer, String accessToken, ObjectNode invite) {
        return call(
                idServer, "POST", "/_matrix/identity/v2/store-invite", Optional.of(accessToken), Optional.of(invite));
    }

    /** Whether {@code keyValidityUrl} says the public key is still valid; false if it cannot be asked. */
    public boolean keyIsValid(String keyValidityUrl, String publicKey) {
        try {
            URI uri = URI.create(keyValidityUrl + (keyValidityUrl.contains("?") ? "&" : "?") + "public_key="
                    + URLEncoder.encode(publicKey, StandardCharsets.UTF_8));
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                return false;
            }
            OutboundResponse response = http.send(OutboundRequest.get(uri));
            return response.status() == 200
                    && EndpointJson.fromBytes(response.body(), JsonNode.class)
                            .path("valid")
                            .asBoolean(false);
        } catch (OutboundHttpException | IllegalArgumentException | MatrixException e) {
            return false;
        }
    }

    private JsonNode call(
            String idServer, String method, String path, Optional<String> token, Optional<ObjectNode> body) {
        OutboundResponse response = send(idServer, method, path, token, body);
        JsonNode json;
        try {
            json = EndpointJson.fromBytes(response.body(), JsonNode.class);
        } catch (RuntimeException e) {
            json = JsonNodeFactory.instance.objectNode();
        }
        if (response.status() / 100 != 2) {
            String errcode = json.path("errcode").asText("M_UNKNOWN");
            String error = json.path("error").asText("The identity server answered " + response.status());
            // the identity server's own error, passed on as a client error of this request
            throw new MatrixException(response.status() == 404 ? 404 : 400, new ErrorCode(errcode), error);
        }
        if (!json.isObject()) {
            throw new MatrixException(400, ErrorCode.UNKNOWN, "The identity server sent no JSON object");
        }
        return json;
    }

    private OutboundResponse send(
            String idServer, String method, String path, Optional<String> token, Optional<ObjectNode> body) {
        Map<String, List<String>> headers =
                token.map(t -> Map.of("Authorization", List.of("Bearer " + t))).orElse(Map.of());
        try {
            return http.send(new OutboundRequest(
                    method,
                    URI.create("https://" + idServer + path),
                    headers,
                    body.map(b -> new OutboundRequest.Body("application/json", EndpointJson.toBytes(b)))));
        } catch (OutboundHttpException | IllegalArgumentException e) {
            throw new MatrixException(400, ErrorCode.UNKNOWN, "Could not reach the identity server " + idServer);
        }
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
