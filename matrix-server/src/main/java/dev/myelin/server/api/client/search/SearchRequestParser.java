package dev.myelin.server.api.client.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.search.SearchBatch;
import dev.myelin.server.handler.search.SearchRequest;
import dev.myelin.server.handler.search.SearchRequest.ContextRequest;
import dev.myelin.server.handler.search.SearchRequest.GroupKey;
import dev.myelin.server.handler.search.SearchRequest.Order;
import dev.myelin.storage.search.EventSearchStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the body of {@code POST /search} into a {@link SearchRequest}. A missing or mistyped field
 * is 400 {@code M_BAD_JSON} naming it; a value outside what the spec allows (an unknown
 * {@code order_by}, key or group key) is 400 {@code M_INVALID_PARAM}.
 */
final class SearchRequestParser {
    private static final String ROOM_EVENTS = "search_categories.room_events";
    /** The default number of events before and after a result, as the spec says. */
    private static final int DEFAULT_CONTEXT = 5;
    /** The most events of context on either side honoured. */
    private static final int MAX_CONTEXT = 100;

    private SearchRequestParser() {}

    /** The room events search of {@code body}, empty when it asks for no category this server has. */
    static Optional<SearchRequest> parse(ObjectNode body, Optional<SearchBatch> batch) {
        ObjectNode categories = object(body, "search_categories", "search_categories")
                .orElseThrow(() -> MatrixException.badJson("'search_categories' is required"));
        Optional<ObjectNode> roomEvents = object(categories, "room_events", ROOM_EVENTS);
        if (roomEvents.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode criteria = roomEvents.get();
        JsonNode term = criteria.get("search_term");
        if (term == null || !term.isTextual()) {
            throw MatrixException.badJson("'" + ROOM_EVENTS + ".search_term' must be a string");
        }
        RoomEventFilter filter = object(criteria, "filter", ROOM_EVENTS + ".filter")
                .map(f -> FilterParser.roomEventFilter(f, ROOM_EVENTS + ".filter"))
                .orElse(RoomEventFilter.ALL);
        return Optional.of(new SearchRequest(
                term.textValue(),
                keys(criteria),
                filter,
                order(criteria),
                context(criteria),
                bool(criteria, "include_state").orElse(false),
                groupBy(criteria),
                batch));
    }

    private static Set<String> keys(ObjectNode criteria) {
        JsonNode node = criteria.get("keys");
        if (node == null || node.isNull()) {
            return Set.copyOf(EventSearchStore.KEYS.values());
        }
        if (!node.isArray()) {
            throw MatrixException.badJson("'" + ROOM_EVENTS + ".keys' must be a list of strings");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode key : node) {
            if (!key.isTextual()) {
                throw MatrixException.badJson("'" + ROOM_EVENTS + ".keys' must be a list of strings");
            }
            if (!EventSearchStore.KEYS.containsValue(key.textValue())) {
                throw MatrixException.invalidParam(
                        "keys", "'" + key.textValue() + "' is not content.body, content.name or content.topic");
            }
            keys.add(key.textValue());
        }
        return keys;
    }

    private static Order order(ObjectNode criteria) {
        JsonNode node = criteria.get("order_by");
        if (node == null || node.isNull()) {
            return Order.RANK;
        }
        if (!node.isTextual()) {
            throw MatrixException.badJson("'" + ROOM_EVENTS + ".order_by' must be a string");
        }
        return switch (node.textValue()) {
            case "rank" -> Order.RANK;
            case "recent" -> Order.RECENT;
            default -> throw MatrixException.invalidParam("order_by", "must be 'rank' or 'recent'");
        };
    }

    private static Optional<ContextRequest> context(ObjectNode criteria) {
        return object(criteria, "event_context", ROOM_EVENTS + ".event_context")
                .map(c -> new ContextRequest(
                        limit(c, "before_limit"),
                        limit(c, "after_limit"),
                        bool(c, "include_profile").orElse(false)));
    }

    private static int limit(ObjectNode context, String field) {
        JsonNode node = context.get(field);
        if (node == null || node.isNull()) {
            return DEFAULT_CONTEXT;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw MatrixException.badJson(
                    "'" + ROOM_EVENTS + ".event_context." + field + "' must be a non-negative integer");
        }
        return (int) Math.min(MAX_CONTEXT, node.longValue());
    }

    private static List<GroupKey> groupBy(ObjectNode criteria) {
        String path = ROOM_EVENTS + ".groupings.group_by";
        Optional<ObjectNode> groupings = object(criteria, "groupings", ROOM_EVENTS + ".groupings");
        JsonNode list = groupings.map(g -> g.get("group_by")).orElse(null);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw MatrixException.badJson("'" + path + "' must be a list of objects");
        }
        List<GroupKey> keys = new ArrayList<>();
        for (JsonNode group : list) {
            if (!group.isObject() || !group.path("key").isTextual()) {
                throw MatrixException.badJson("'" + path + "' must be a list of objects with a string 'key'");
            }
            GroupKey key = switch (group.get("key").textValue()) {
                case "room_id" -> GroupKey.ROOM_ID;
                case "sender" -> GroupKey.SENDER;
                default -> throw MatrixException.invalidParam("group_by", "a group key is 'room_id' or 'sender'");
            };
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static Optional<ObjectNode> object(ObjectNode json, String field, String path) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw MatrixException.badJson("'" + path + "' must be an object");
        }
        return Optional.of((ObjectNode) node);
    }

    private static Optional<Boolean> bool(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw MatrixException.badJson("'" + field + "' must be a boolean");
        }
        return Optional.of(node.booleanValue());
    }
}
