package dev.myelin.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A position in a parsed YAML document that knows its own path, so every typed read can say
 * exactly which key is wrong ("listeners[0].port must be an integer from 1 to 65535").
 */
final class ConfigNode {
    private final String file;
    private final String path;
    private final JsonNode node;

    ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    ConfigNode get(String key) {
        return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, node.get(key));
    }

    boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    boolean isArray() {
        return node.isArray();
    }

    String path() {
        return path;
    }

    ConfigException error(String problem) {
        return new ConfigException(file + ": '" + path + "' " + problem);
    }

    Optional<String> string() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw error("must be a string");
        }
        return Optional.of(node.asText());
    }

    String requiredString() {
        return string().filter(s -> !s.isBlank()).orElseThrow(() -> error("is required"));
    }

    boolean bool(boolean defaultValue) {
        if (!isPresent()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw error("must be true or false");
        }
        return node.booleanValue();
    }

    long integer(long defaultValue, long min, long max) {
        if (!isPresent()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || node.longValue() < min || node.longValue() > max) {
            throw error("must be an integer from " + min + " to " + max);
        }
        return node.longValue();
    }

    double number(double defaultValue, double min) {
        if (!isPresent()) {
            return defaultValue;
        }
        if (!node.isNumber() || node.doubleValue() < min) {
            throw error("must be a number not less than " + min);
        }
        return node.doubleValue();
    }

    List<ConfigNode> list() {
        if (!isPresent()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("must be a list");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new ConfigNode(file, path + "[" + i + "]", node.get(i)));
        }
        return items;
    }

    List<String> stringList() {
        return list().stream().map(ConfigNode::requiredString).toList();
    }

    /** The object's entries as plain Java values (maps, lists, strings, numbers, booleans). */
    Map<String, Object> asMap() {
        if (!isPresent()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw error("must be a mapping");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
        return map;
    }

    void requireObject() {
        if (isPresent() && !node.isObject()) {
            throw error("must be a mapping");
        }
    }

    /** Reports every key of this mapping that is not in {@code known}. */
    void unknownKeys(Set<String> known, Consumer<String> report) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                report.accept(path.isEmpty() ? key : path + "." + key);
            }
        }
    }

    private static Object plain(JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(v -> list.add(plain(v)));
            return list;
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isNull() ? null : value.asText();
    }
}
