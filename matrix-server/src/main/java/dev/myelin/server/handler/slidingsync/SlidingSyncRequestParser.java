package dev.myelin.server.handler.slidingsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.Extensions;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.ListConfig;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.ListFilters;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.Range;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.RoomConfig;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.Scope;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.ToDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a sliding sync request body. Both forms of MSC4186 are understood: the one clients speak
 * today ({@code ranges}, {@code required_state} as {@code [type, state_key]} pairs, {@code is_invite},
 * {@code pos} and {@code timeout} in the query) and the proposal's later one ({@code range},
 * {@code required_state} as {@code include}/{@code exclude}/{@code lazy_members}, {@code is_invited},
 * {@code pos} and {@code timeout} in the body). A value of the wrong JSON type is {@code M_BAD_JSON};
 * a value of the right type out of its bounds is {@code M_INVALID_PARAM}.
 */
public final class SlidingSyncRequestParser {
    /** The MSC's limit on lists per request. */
    static final int MAX_LISTS = 100;
    /** Synapse's limit on a timeline: more is a request error. */
    static final int MAX_TIMELINE_LIMIT = 1000;
    /** The to-device messages per response when the client names no limit (the /sync limit). */
    static final int DEFAULT_TO_DEVICE_LIMIT = 100;

    private static final String LAZY = "$LAZY";
    private static final String ME = "$ME";

    private SlidingSyncRequestParser() {}

    /** The request of {@code user}'s {@code device}, with the query's {@code pos} and timeout (in ms) if given. */
    public static SlidingSyncRequest parse(
            UserId user,
            Optional<DeviceId> device,
            ObjectNode body,
            Optional<String> queryPos,
            Optional<Long> queryTimeoutMs,
            Duration maxTimeout) {
        String connId = optionalText(body, "conn_id").orElse("");
        Optional<String> pos = queryPos.or(() -> optionalText(body, "pos"));
        long timeoutMs =
                queryTimeoutMs.orElseGet(() -> optionalLong(body, "timeout").orElse(0L));
        if (timeoutMs < 0) {
            throw MatrixException.invalidParam("timeout", "must not be negative");
        }
        Duration timeout = Duration.ofMillis(Math.min(timeoutMs, maxTimeout.toMillis()));

        Map<String, ListConfig> lists = new LinkedHashMap<>();
        JsonNode listsJson = object(body, "lists");
        if (listsJson != null) {
            if (listsJson.size() > MAX_LISTS) {
                throw MatrixException.invalidParam("lists", "at most " + MAX_LISTS + " lists");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = listsJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                lists.put(e.getKey(), list(e.getKey(), e.getValue(), user));
            }
        }
        Map<RoomId, RoomConfig> subscriptions = new LinkedHashMap<>();
        JsonNode subsJson = object(body, "room_subscriptions");
        if (subsJson != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = subsJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String where = "room_subscriptions." + e.getKey();
                if (!e.getValue().isObject()) {
                    throw MatrixException.badJson(where + " must be an object");
                }
                subscriptions.put(roomId(e.getKey(), where), roomConfig((ObjectNode) e.getValue(), where, user));
            }
        }
        Set<RoomId> unsubscribe = new HashSet<>();
        for (String room :
                strings(body, "unsubscribe_rooms", "unsubscribe_rooms").orElse(List.of())) {
            unsubscribe.add(roomId(room, "unsubscribe_rooms"));
        }
        JsonNode extJson = object(body, "extensions");
        Extensions extensions = extJson == null ? Extensions.NONE : extensions((ObjectNode) extJson);
        return new SlidingSyncRequest(
                user, device, connId, pos, timeout, lists, subscriptions, unsubscribe, extensions);
    }

    private static ListConfig list(String key, JsonNode json, UserId user) {
        String where = "lists." + key;
        if (!json.isObject()) {
            throw MatrixException.badJson(where + " must be an object");
        }
        ObjectNode list = (ObjectNode) json;
        List<Range> ranges = new ArrayList<>();
        JsonNode rangesJson = list.get("ranges");
        if (rangesJson != null && !rangesJson.isNull()) {
            if (!rangesJson.isArray()) {
                throw MatrixException.badJson(where + ".ranges must be an array of [start, end]");
            }
            for (JsonNode r : rangesJson) {
                ranges.add(range(r, where + ".ranges"));
            }
        } else if (list.hasNonNull("range")) {
            ranges.add(range(list.get("range"), where + ".range"));
        } else {
            ranges.add(new Range(0, Integer.MAX_VALUE));
        }
        JsonNode filters = object(list, "filters");
        return new ListConfig(
                List.copyOf(ranges),
                roomConfig(list, where, user),
                filters == null ? ListFilters.NONE : filters((ObjectNode) filters, where + ".filters"));
    }

    private static Range range(JsonNode r, String where) {
        if (!r.isArray()
                || r.size() != 2
                || !r.get(0).canConvertToInt()
                || !r.get(1).canConvertToInt()
                || !r.get(0).isIntegralNumber()
                || !r.get(1).isIntegralNumber()) {
            throw MatrixException.badJson(where + " must hold [start, end] pairs of integers");
        }
        int start = r.get(0).intValue();
        int end = r.get(1).intValue();
        if (start < 0 || end < start) {
            throw MatrixException.invalidParam(where, "a range is [start, end] with 0 <= start <= end");
        }
        return new Range(start, end);
    }

    private static RoomConfig roomConfig(ObjectNode json, String where, UserId user) {
        int limit = (int) Math.min(optionalLong(json, "timeline_limit").orElse(0L), (long) Integer.MAX_VALUE + 1);
        if (limit < 0 || limit > MAX_TIMELINE_LIMIT) {
            throw MatrixException.invalidParam(
                    where + ".timeline_limit", "must be between 0 and " + MAX_TIMELINE_LIMIT);
        }
        return new RoomConfig(limit, requiredState(json.get("required_state"), where + ".required_state", user));
    }

    private static RequiredState requiredState(JsonNode json, String where, UserId user) {
        if (json == null || json.isNull()) {
            return RequiredState.NONE;
        }
        boolean[] lazy = {false};
        if (json.isArray()) {
            return new RequiredState(pairs(json, where, user, lazy), Set.of(), lazy[0]);
        }
        if (!json.isObject()) {
            throw MatrixException.badJson(where + " must be an array of [type, state_key] pairs");
        }
        Set<RequiredState.Entry> include = elements(json.get("include"), where + ".include", user);
        Set<RequiredState.Entry> exclude = elements(json.get("exclude"), where + ".exclude", user);
        JsonNode lazyJson = json.get("lazy_members");
        if (lazyJson != null && !lazyJson.isNull() && !lazyJson.isBoolean()) {
            throw MatrixException.badJson(where + ".lazy_members must be a boolean");
        }
        return new RequiredState(include, exclude, lazyJson != null && lazyJson.asBoolean(false));
    }

    private static Set<RequiredState.Entry> pairs(JsonNode json, String where, UserId user, boolean[] lazy) {
        Set<RequiredState.Entry> entries = new LinkedHashSet<>();
        for (JsonNode pair : json) {
            if (!pair.isArray()
                    || pair.size() != 2
                    || !pair.get(0).isTextual()
                    || !pair.get(1).isTextual()) {
                throw MatrixException.badJson(where + " must be an array of [type, state_key] pairs of strings");
            }
            String type = pair.get(0).asText();
            String key = pair.get(1).asText();
            if (key.equals(LAZY)) {
                if (type.equals("m.room.member")) {
                    lazy[0] = true;
                }
                continue; // $LAZY means nothing for other types
            }
            entries.add(new RequiredState.Entry(type, key.equals(ME) ? user.toString() : key));
        }
        return entries;
    }

    private static Set<RequiredState.Entry> elements(JsonNode json, String where, UserId user) {
        Set<RequiredState.Entry> entries = new LinkedHashSet<>();
        if (json == null || json.isNull()) {
            return entries;
        }
        if (!json.isArray()) {
            throw MatrixException.badJson(where + " must be an array");
        }
        for (JsonNode element : json) {
            if (!element.isObject()) {
                throw MatrixException.badJson(where + " must hold objects");
            }
            String type = optionalText((ObjectNode) element, "type").orElse(RequiredState.ANY);
            String key = optionalText((ObjectNode) element, "state_key").orElse(RequiredState.ANY);
            entries.add(new RequiredState.Entry(type, key.equals(ME) ? user.toString() : key));
        }
        return entries;
    }

    private static ListFilters filters(ObjectNode json, String where) {
        Optional<List<RoomId>> spaces = strings(json, "spaces", where + ".spaces")
                .map(ids ->
                        ids.stream().map(id -> roomId(id, where + ".spaces")).toList());
        return new ListFilters(
                optionalBool(json, "is_dm", where),
                spaces,
                optionalBool(json, "is_encrypted", where),
                optionalBool(json, "is_invite", where).or(() -> optionalBool(json, "is_invited", where)),
                roomTypes(json, "room_types", where),
                roomTypes(json, "not_room_types", where));
    }

    private static Optional<Set<String>> roomTypes(ObjectNode json, String field, String where) {
        JsonNode array = json.get(field);
        if (array == null) {
            return Optional.empty();
        }
        if (!array.isArray()) {
            throw MatrixException.badJson(where + "." + field + " must be an array of strings or null");
        }
        Set<String> types = new HashSet<>();
        for (JsonNode t : array) {
            if (t.isNull()) {
                types.add("");
            } else if (t.isTextual()) {
                types.add(t.asText());
            } else {
                throw MatrixException.badJson(where + "." + field + " must be an array of strings or null");
            }
        }
        return Optional.of(types);
    }

    private static Extensions extensions(ObjectNode json) {
        Optional<ToDevice> toDevice = enabled(json, "to_device").map(ext -> {
            Optional<Long> since = optionalText(ext, "since").map(s -> {
                try {
                    long value = Long.parseLong(s);
                    if (value < 0) {
                        throw new NumberFormatException();
                    }
                    return value;
                } catch (NumberFormatException e) {
                    throw MatrixException.invalidParam("extensions.to_device.since", "not a next_batch of this server");
                }
            });
            long limit = optionalLong(ext, "limit").orElse((long) DEFAULT_TO_DEVICE_LIMIT);
            if (limit < 1) {
                throw MatrixException.invalidParam("extensions.to_device.limit", "must be positive");
            }
            return new ToDevice(since, (int) Math.min(limit, 1000));
        });
        return new Extensions(
                toDevice,
                enabled(json, "e2ee").isPresent(),
                enabled(json, "account_data").map(ext -> scope(ext, "account_data")),
                enabled(json, "receipts").map(ext -> scope(ext, "receipts")),
                enabled(json, "typing").map(ext -> scope(ext, "typing")));
    }

    /** The extension's config when it is there and {@code enabled} is true. */
    private static Optional<ObjectNode> enabled(ObjectNode extensions, String name) {
        JsonNode ext = object(extensions, name);
        if (ext == null) {
            return Optional.empty();
        }
        return optionalBool((ObjectNode) ext, "enabled", "extensions." + name).orElse(false)
                ? Optional.of((ObjectNode) ext)
                : Optional.empty();
    }

    private static Scope scope(ObjectNode ext, String name) {
        return new Scope(
                strings(ext, "lists", "extensions." + name + ".lists").orElse(Scope.ALL.lists()),
                strings(ext, "rooms", "extensions." + name + ".rooms").orElse(Scope.ALL.rooms()));
    }

    private static RoomId roomId(String value, String where) {
        if (!RoomId.isValid(value)) {
            throw MatrixException.invalidParam(where, "not a room id: " + value);
        }
        return RoomId.parse(value);
    }

    private static JsonNode object(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
        }
        return value;
    }

    private static Optional<String> optionalText(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static Optional<Long> optionalLong(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw MatrixException.badJson(field + " must be an integer");
        }
        return Optional.of(value.longValue());
    }

    private static Optional<Boolean> optionalBool(ObjectNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw MatrixException.badJson(where + "." + field + " must be a boolean");
        }
        return Optional.of(value.asBoolean());
    }

    private static Optional<List<String>> strings(ObjectNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw MatrixException.badJson(where + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : value) {
            if (!v.isTextual()) {
                throw MatrixException.badJson(where + " must be an array of strings");
            }
            out.add(v.asText());
        }
        return Optional.of(out);
    }
}
