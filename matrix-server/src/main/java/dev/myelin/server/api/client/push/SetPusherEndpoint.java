package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.JsonFields;
import dev.myelin.storage.push.Pusher;
import dev.myelin.storage.push.PusherStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/pushers/set}: creates, replaces or deletes one of the user's
 * pushers, after validating it.
 *
 * <p>Pushers are only stored: this server does not yet send anything to push gateways, so a
 * pusher has no effect beyond being listed by {@code GET /pushers}. Only {@code http} pushers are
 * accepted, because this server cannot send email.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3pushersset">spec</a>
 */
public final class SetPusherEndpoint implements Endpoint {
    static final int MAX_APP_ID_CHARS = 64;
    static final int MAX_PUSHKEY_BYTES = 512;
    /** The only path a push gateway's notify URL may have. */
    static final String NOTIFY_PATH = "/_matrix/push/v1/notify";

    private final PusherStore store;

    public SetPusherEndpoint(PusherStore store) {
        this.store = store;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/pushers/set";
    }

    /** {@code kind: null} deletes the pusher, anything else creates or replaces it. */
    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        ObjectNode body = request.jsonObject();
        if (!body.has("kind")) {
            throw MatrixException.missingParam("kind");
        }
        String appId = JsonFields.requireString(body, "app_id");
        String pushkey = JsonFields.requireString(body, "pushkey");
        if (appId.length() > MAX_APP_ID_CHARS) {
            throw MatrixException.invalidParam("app_id", "longer than " + MAX_APP_ID_CHARS + " characters");
        }
        if (pushkey.getBytes(StandardCharsets.UTF_8).length > MAX_PUSHKEY_BYTES) {
            throw MatrixException.invalidParam("pushkey", "longer than " + MAX_PUSHKEY_BYTES + " bytes");
        }
        Optional<String> kind = JsonFields.optionalString(body, "kind");
        if (kind.isEmpty()) {
            store.delete(requester.userId(), appId, pushkey);
            return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
        }
        if (!kind.get().equals("http")) {
            throw MatrixException.invalidParam("kind", "only http pushers are supported");
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("app_display_name", "device_display_name", "lang", "data")) {
            JsonNode node = body.get(field);
            if (node == null || node.isNull()) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw new MatrixException(400, ErrorCode.MISSING_PARAM, "Missing parameters: " + String.join(", ", missing));
        }
        ObjectNode data = JsonFields.optionalObject(body, "data").orElseThrow();
        validateData(data);

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("pushkey", pushkey);
        json.put("kind", kind.get());
        json.put("app_id", appId);
        json.put("app_display_name", JsonFields.requireString(body, "app_display_name"));
        json.put("device_display_name", JsonFields.requireString(body, "device_display_name"));
        JsonFields.optionalString(body, "profile_tag").ifPresent(tag -> json.put("profile_tag", tag));
        json.put("lang", JsonFields.requireString(body, "lang"));
        json.set("data", data.deepCopy());
        boolean append = JsonFields.optionalBoolean(body, "append", false);
        store.put(new Pusher(requester.userId(), appId, pushkey, kind.get(), requester.deviceId(), json), append);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /**
     * An http pusher's {@code data.url} must be an absolute http(s) URL with the notify path;
     * plain http is accepted (the spec asks for https) so a gateway on a private network or in
     * development works. {@code format}, if given, must be {@code event_id_only}.
     */
    private static void validateData(ObjectNode data) {
        String url = JsonFields.optionalString(data, "url").orElseThrow(() -> MatrixException.missingParam("data.url"));
        try {
            URI uri = new URI(url);
            boolean http = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || !NOTIFY_PATH.equals(uri.getPath())) {
                throw MatrixException.invalidParam("data.url", "must be an https URL with the path " + NOTIFY_PATH);
            }
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("data.url", "not a URL");
        }
        Optional<String> format = JsonFields.optionalString(data, "format");
        if (format.isPresent() && !format.get().equals("event_id_only")) {
            throw MatrixException.invalidParam("data.format", "the only format is event_id_only");
        }
    }
}
