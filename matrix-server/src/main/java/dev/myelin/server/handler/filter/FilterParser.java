package dev.myelin.server.handler.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one reader of filter JSON: validates it once and builds a {@link SyncFilter} (uploaded
 * filters, the {@code filter} of {@code /sync}) or a {@link RoomEventFilter} (the {@code filter}
 * of {@code /messages} and {@code /context}), with the same rules for every part. A field of the
 * wrong type or out of range is 400 {@code M_BAD_JSON} naming the field, as Synapse answers, except
 * in a {@code filter} query parameter of the room endpoints, where it is {@code M_INVALID_PARAM}
 * naming the parameter; unknown fields are ignored, as the spec leaves room for extensions.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#filtering">Filtering</a>
 */
public final class FilterParser {
    /** The largest timeline limit honoured; larger limits are lowered to it. */
    public static final int MAX_LIMIT = 100;

    private static final String INVALID = "Invalid filter: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FilterParser() {}

    /**
     * A whole filter given as JSON text ({@code /sync}'s inline filter): 400 {@code M_NOT_JSON} when
     * it is not JSON, {@code M_BAD_JSON} when it is not a valid filter object.
     */
    public static SyncFilter parseJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw MatrixException.notJson("Invalid filter JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw MatrixException.badJson("A filter must be a JSON object");
        }
        return parse(object);
    }

    /**
     * The {@code filter} query parameter of {@code /messages} and {@code /context}: a
     * {@code RoomEventFilter} as JSON text, or {@link RoomEventFilter#ALL} when absent or blank.
     * Anything else than a valid filter object is 400 {@code M_INVALID_PARAM} naming {@code filter}.
     */
    public static RoomEventFilter roomEventFilterParam(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return RoomEventFilter.ALL;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw MatrixException.invalidParam("filter", "not valid JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw MatrixException.invalidParam("filter", "must be a JSON object");
        }
        try {
            return roomEventFilter(Optional.of(object), "");
        } catch (MatrixException e) {
            if (!e.errcode().equals(ErrorCode.BAD_JSON)) {
                throw e;
            }
            throw MatrixException.invalidParam("filter", e.getMessage().replaceFirst("^" + INVALID, ""));
        }
    }

    /**
     * A {@code RoomEventFilter} inside a request body (the {@code filter} of a search) at the dotted
     * {@code path}; 400 {@code M_BAD_JSON} naming the field when invalid.
     */
    public static RoomEventFilter roomEventFilter(ObjectNode json, String path) {
        return roomEventFilter(Optional.of(json), path);
    }

    /** A whole filter object, as uploaded or given to {@code /sync}; 400 {@code M_BAD_JSON} when invalid. */
    public static SyncFilter parse(ObjectNode json) {
        Optional<List<String>> eventFields = stringList(json, "event_fields", "event_fields");
        String format = string(json, "event_format", "event_format").orElse("client");
        if (!format.equals("client") && !format.equals("federation")) {
            throw bad("event_format", "must be 'client' or 'federation'");
        }
        EventFilter presence = eventFilter(object(json, "presence", "presence"), "presence");
        EventFilter accountData = eventFilter(object(json, "account_data", "account_data"), "account_data");
        RoomFilter room = roomFilter(object(json, "room", "room"));
        return new SyncFilter(presence, accountData, room, eventFields.orElse(null), format.equals("federation"));
    }

    private static RoomFilter roomFilter(Optional<ObjectNode> json) {
        if (json.isEmpty()) {
            return RoomFilter.ALL;
        }
        ObjectNode room = json.get();
        return new RoomFilter(
                roomIds(room, "rooms", "room.rooms").orElse(null),
                roomIds(room, "not_rooms", "room.not_rooms").orElse(List.of()),
                bool(room, "include_leave", "room.include_leave").orElse(false),
                roomEventFilter(object(room, "timeline", "room.timeline"), "room.timeline"),
                roomEventFilter(object(room, "state", "room.state"), "room.state"),
                roomEventFilter(object(room, "ephemeral", "room.ephemeral"), "room.ephemeral"),
                roomEventFilter(object(room, "account_data", "room.account_data"), "room.account_data"));
    }

    private static RoomEventFilter roomEventFilter(Optional<ObjectNode> json, String path) {
        if (json.isEmpty()) {
            return RoomEventFilter.ALL;
        }
        ObjectNode f = json.get();
        return new RoomEventFilter(
                eventFilter(json, path),
                roomIds(f, "rooms", join(path, "rooms")).orElse(null),
                roomIds(f, "not_rooms", join(path, "not_rooms")).orElse(List.of()),
                bool(f, "contains_url", join(path, "contains_url")).orElse(null),
                bool(f, "lazy_load_members", join(path, "lazy_load_members")).orElse(false),
                bool(f, "include_redundant_members", join(path, "include_redundant_members"))
                        .orElse(false),
                bool(f, "unread_thread_notifications", join(path, "unread_thread_notifications"))
                        .orElse(false));
    }

    private static EventFilter eventFilter(Optional<ObjectNode> json, String path) {
        if (json.isEmpty()) {
            return EventFilter.ALL;
        }
        ObjectNode f = json.get();
        Integer limit = null;
        JsonNode limitNode = f.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            // the spec asks for at least 1, but 0 is what clients send for "state only, no timeline",
            // and Synapse serves it as such
            if (!limitNode.isIntegralNumber() || !limitNode.canConvertToLong() || limitNode.longValue() < 0) {
                throw bad(join(path, "limit"), "must be a non-negative integer");
            }
            limit = (int) Math.min(MAX_LIMIT, limitNode.longValue());
        }
        return new EventFilter(
                limit,
                stringList(f, "types", join(path, "types")).orElse(null),
                stringList(f, "not_types", join(path, "not_types")).orElse(List.of()),
                userIds(f, "senders", join(path, "senders")).orElse(null),
                userIds(f, "not_senders", join(path, "not_senders")).orElse(List.of()));
    }

    /** The dotted name of {@code field} inside the object at {@code path} (empty at the top). */
    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static Optional<List<String>> roomIds(ObjectNode json, String field, String path) {
        Optional<List<String>> ids = stringList(json, field, path);
        ids.ifPresent(list -> list.forEach(id -> {
            if (!id.startsWith("!")) {
                throw bad(path, "room ids start with '!': " + id);
            }
        }));
        return ids;
    }

    private static Optional<List<String>> userIds(ObjectNode json, String field, String path) {
        Optional<List<String>> ids = stringList(json, field, path);
        ids.ifPresent(list -> list.forEach(id -> {
            if (!id.startsWith("@")) {
                throw bad(path, "user ids start with '@': " + id);
            }
        }));
        return ids;
    }

    private static Optional<List<String>> stringList(ObjectNode json, String field, String path) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw bad(path, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw bad(path, "must be a list of strings");
            }
            out.add(item.textValue());
        }
        return Optional.of(List.copyOf(out));
    }

    private static Optional<ObjectNode> object(ObjectNode json, String field, String path) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw bad(path, "must be an object");
        }
        return Optional.of((ObjectNode) node);
    }

    private static Optional<Boolean> bool(ObjectNode json, String field, String path) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw bad(path, "must be a boolean");
        }
        return Optional.of(node.booleanValue());
    }

    private static Optional<String> string(ObjectNode json, String field, String path) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw bad(path, "must be a string");
        }
        return Optional.of(node.textValue());
    }

    private static MatrixException bad(String path, String reason) {
        return MatrixException.badJson(INVALID + "'" + path + "' " + reason);
    }
}
