package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.storage.push.Pusher;
import dev.myelin.storage.push.PusherStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/pushers/set}: creates, replaces or deletes one of the user's
 * pushers, after validating it.
 *
 * <p>The user's notifications are then posted to the pusher's gateway ({@code
 * handler.push.PushSender}). Only {@code http} pushers are accepted, because this server cannot
 * send email.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3pushersset">spec</a>
 */
public final class SetPusherEndpoint extends JsonEndpoint<SetPusherEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/pushers/set", Request.class, EmptyResponse.class);

    static final int MAX_APP_ID_CHARS = 64;
    static final int MAX_PUSHKEY_BYTES = 512;
    /** The only path a push gateway's notify URL may have. */
    static final String NOTIFY_PATH = "/_matrix/push/v1/notify";

    /**
     * A pusher to create or replace, or, with {@code kind: null}, to delete. {@code kind} is a
     * JSON value rather than a string because an explicit {@code null} (delete) differs from an
     * absent field (400 {@code M_MISSING_PARAM}). {@code data} is free-form: gateways may be
     * given fields the spec does not name.
     */
    public record Request(
            String pushkey,
            JsonNode kind,
            String appId,
            @Nullable String appDisplayName,
            @Nullable String deviceDisplayName,
            @Nullable String profileTag,
            @Nullable String lang,
            @Nullable ObjectNode data,
            @Nullable Boolean append) {
        public Request {
            if (kind == null) {
                throw MatrixException.missingParam("kind");
            }
            EndpointJson.required(appId, "app_id");
            EndpointJson.required(pushkey, "pushkey");
            RequestChecks.storableText(pushkey, "pushkey");
            RequestChecks.storableText(appId, "app_id");
            RequestChecks.storableText(appDisplayName, "app_display_name");
            RequestChecks.storableText(deviceDisplayName, "device_display_name");
            RequestChecks.storableText(profileTag, "profile_tag");
            RequestChecks.storableText(lang, "lang");
            if (appId.length() > MAX_APP_ID_CHARS) {
                throw MatrixException.invalidParam("app_id", "longer than " + MAX_APP_ID_CHARS + " characters");
            }
            if (pushkey.getBytes(StandardCharsets.UTF_8).length > MAX_PUSHKEY_BYTES) {
                throw MatrixException.invalidParam("pushkey", "longer than " + MAX_PUSHKEY_BYTES + " bytes");
            }
            if (!kind.isNull() && !kind.isTextual()) {
                throw MatrixException.badJson("'kind' must be a string");
            }
            if (!kind.isNull()) {
                if (!kind.textValue().equals("http")) {
                    throw MatrixException.invalidParam("kind", "only http pushers are supported");
                }
                List<String> missing = new ArrayList<>();
                if (appDisplayName == null) {
                    missing.add("app_display_name");
                }
                if (deviceDisplayName == null) {
                    missing.add("device_display_name");
                }
                if (lang == null) {
                    missing.add("lang");
                }
                if (data == null) {
                    missing.add("data");
                }
                if (!missing.isEmpty()) {
                    throw new MatrixException(
                            400, ErrorCode.MISSING_PARAM, "Missing parameters: " + String.join(", ", missing));
                }
                validateData(data);
            }
        }
    }

    /**
     * A pusher as stored and as {@code GET /pushers} lists it: the request without
     * {@code append}, which only says how to store it.
     */
    record Description(
            String pushkey,
            String kind,
            String appId,
            String appDisplayName,
            String deviceDisplayName,
            @Nullable String profileTag,
            String lang,
            ObjectNode data) {}

    private final PusherStore store;

    public SetPusherEndpoint(PusherStore store) {
        super(SPEC);
        this.store = store;
    }

    /** {@code kind: null} deletes the pusher, anything else creates or replaces it. */
    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        if (body.kind().isNull()) {
            store.delete(requester.userId(), body.appId(), body.pushkey());
            return EmptyResponse.INSTANCE;
        }
        String kind = body.kind().textValue();
        ObjectNode json = (ObjectNode) EndpointJson.toTree(new Description(
                body.pushkey(),
                kind,
                body.appId(),
                body.appDisplayName(),
                body.deviceDisplayName(),
                body.profileTag(),
                body.lang(),
                body.data().deepCopy()));
        store.put(
                new Pusher(requester.userId(), body.appId(), body.pushkey(), kind, requester.deviceId(), json),
                Boolean.TRUE.equals(body.append()));
        return EmptyResponse.INSTANCE;
    }

    /**
     * An http pusher's {@code data.url} must be an absolute http(s) URL with the notify path;
     * plain http is accepted (the spec asks for https) so a gateway on a private network or in
     * development works. {@code format}, if given, must be a string: {@code event_id_only} is the
     * one the spec defines, and any other is kept and pushed as the full format, as Synapse does.
     */
    private static void validateData(ObjectNode data) {
        JsonNode urlNode = data.get("url");
        if (urlNode == null || urlNode.isNull()) {
            throw MatrixException.missingParam("data.url");
        }
        if (!urlNode.isTextual()) {
            throw MatrixException.badJson("'url' must be a string");
        }
        try {
            URI uri = new URI(urlNode.textValue());
            boolean http = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || !NOTIFY_PATH.equals(uri.getPath())) {
                throw MatrixException.invalidParam("data.url", "must be an https URL with the path " + NOTIFY_PATH);
            }
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("data.url", "not a URL");
        }
        JsonNode format = data.get("format");
        if (format != null && !format.isNull()) {
            if (!format.isTextual()) {
                throw MatrixException.badJson("'format' must be a string");
            }
        }
    }
}
