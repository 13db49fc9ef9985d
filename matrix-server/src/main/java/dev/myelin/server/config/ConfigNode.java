package dev.myelin.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A position in a parsed YAML document that knows its own path and file, so every typed read can
 * say exactly which key of which file is wrong ("worker.yaml: 'listeners[0].port' must be an
 * integer from 1 to 65535"), and can resolve a relative path against the directory of the file
 * the value was written in.
 *
 * <p>The root of several merged files knows, for each top-level key, which file gave its value
 * (the last one that has it); a key no file has belongs to the first file.
 */
final class ConfigNode {
    /** A file the configuration was read from: its name for messages, its directory for paths. */
    record Origin(String file, Path dir) {}

    private final Origin origin;
    private final Map<String, Origin> keyOrigins;
    private final String path;
    private final JsonNode node;

    /** The root of one file's tree. */
    ConfigNode(String file, Path dir, JsonNode node) {
        this(new Origin(file, dir), Map.of(), "", node);
    }

    /** The root of merged files: each top-level key in {@code keyOrigins} came from that file. */
    ConfigNode(Origin first, Map<String, Origin> keyOrigins, JsonNode node) {
        this(first, keyOrigins, "", node);
    }

    private ConfigNode(Origin origin, Map<String, Origin> keyOrigins, String path, JsonNode node) {
        this.origin = origin;
        this.keyOrigins = Map.copyOf(keyOrigins);
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    ConfigNode get(String key) {
        Origin of = path.isEmpty() ? keyOrigins.getOrDefault(key, origin) : origin;
        return new ConfigNode(of, Map.of(), path.isEmpty() ? key : path + "." + key, node.get(key));
    }

    /** The name of the file this value was read from. */
    String file() {
        return origin.file();
    }

    /** The directory of the file this value was read from, which its relative paths are relative to. */
    Path dir() {
        return origin.dir();
    }

    /** The value as a path, resolved against its file's directory when relative. */
    Optional<Path> resolvedPath() {
        return string().map(origin.dir()::resolve);
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
        return new ConfigException(origin.file() + ": '" + path + "' " + problem);
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
            items.add(new ConfigNode(origin, Map.of(), path + "[" + i + "]", node.get(i)));
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
