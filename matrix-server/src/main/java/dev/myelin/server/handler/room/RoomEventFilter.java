package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.event.Pdu;
import dev.myelin.http.error.MatrixException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a {@code RoomEventFilter} that {@code /messages} and {@code /context} apply: event
 * types and senders (with {@code *} wildcards in types), {@code contains_url} and
 * {@code lazy_load_members}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#filtering">Filtering</a>
 */
public record RoomEventFilter(Optional<List<String>> types, List<String> notTypes, Optional<List<String>> senders,
        List<String> notSenders, Optional<Boolean> containsUrl, boolean lazyLoadMembers) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static final RoomEventFilter ALL =
            new RoomEventFilter(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(), false);

    /** Parses the {@code filter} query parameter; 400 {@code M_INVALID_PARAM} when it is not a filter. */
    public static RoomEventFilter parse(Optional<String> json) {
        if (json.isEmpty() || json.get().isBlank()) {
            return ALL;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json.get());
        } catch (java.io.IOException e) {
            throw MatrixException.invalidParam("filter", "not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw MatrixException.invalidParam("filter", "must be a JSON object");
        }
        JsonNode containsUrl = node.get("contains_url");
        if (containsUrl != null && !containsUrl.isNull() && !containsUrl.isBoolean()) {
            throw MatrixException.invalidParam("filter", "'contains_url' must be a boolean");
        }
        JsonNode lazy = node.get("lazy_load_members");
        if (lazy != null && !lazy.isNull() && !lazy.isBoolean()) {
            throw MatrixException.invalidParam("filter", "'lazy_load_members' must be a boolean");
        }
        return new RoomEventFilter(list(node, "types"), list(node, "not_types").orElse(List.of()),
                list(node, "senders"), list(node, "not_senders").orElse(List.of()),
                containsUrl == null || containsUrl.isNull() ? Optional.empty() : Optional.of(containsUrl.booleanValue()),
                lazy != null && lazy.booleanValue());
    }

    public boolean matches(Pdu event) {
        if (notTypes.stream().anyMatch(t -> typeMatches(t, event.type()))) {
            return false;
        }
        if (types.isPresent() && types.get().stream().noneMatch(t -> typeMatches(t, event.type()))) {
            return false;
        }
        String sender = event.sender().toString();
        if (notSenders.contains(sender) || senders.filter(s -> !s.contains(sender)).isPresent()) {
            return false;
        }
        if (containsUrl.isPresent()) {
            boolean hasUrl = event.content().path("url").isTextual();
            return hasUrl == containsUrl.get();
        }
        return true;
    }

    private static boolean typeMatches(String pattern, String type) {
        if (!pattern.contains("*")) {
            return pattern.equals(type);
        }
        String r = java.util.Arrays.stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*"));
        return type.matches(r);
    }

    private static Optional<List<String>> list(JsonNode filter, String field) {
        JsonNode node = filter.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw MatrixException.invalidParam("filter", "'" + field + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw MatrixException.invalidParam("filter", "'" + field + "' must be a list of strings");
            }
            out.add(item.textValue());
        }
        return Optional.of(List.copyOf(out));
    }
}
