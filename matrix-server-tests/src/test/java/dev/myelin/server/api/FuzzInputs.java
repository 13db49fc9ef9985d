package dev.myelin.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed requests for one endpoint, generated from its {@link EndpointSpec}: path parameters,
 * query parameters, bodies (from the request record's components) and credentials, each either
 * valid-looking (ids of the fixture's own rooms, users and devices, so the request reaches deep
 * code) or broken in one way. Everything is drawn from the given {@link Random}, so a seed
 * reproduces a run.
 */
final class FuzzInputs {
    /** Query parameters Matrix endpoints commonly read. */
    private static final List<String> QUERY_PARAMS = List.of(
            "limit",
            "from",
            "to",
            "dir",
            "since",
            "timeout",
            "filter",
            "at",
            "membership",
            "not_membership",
            "version",
            "ts",
            "timeout_ms",
            "width",
            "height",
            "method",
            "allow_remote",
            "allow_redirect",
            "search_term",
            "server",
            "via",
            "server_name",
            "full_state",
            "set_presence",
            "event_id",
            "user_id",
            "recurse",
            "max_depth",
            "suggested_only",
            "animated",
            "url",
            "include_unredacted_content",
            "kind",
            "next_batch",
            "keys",
            "redirect_url");

    private static final String HUGE = "a".repeat(100 * 1024);

    /** Path values that are malformed whatever the parameter means. */
    private static final List<String> BAD_PATH_VALUES = List.of(
            "",
            HUGE,
            "\u0000",
            "..",
            ".",
            "ünï😀code",
            "/",
            "a/../../b",
            "%",
            "@",
            "!",
            "$",
            "#",
            "!abc",
            "@:",
            "!room:" + "x".repeat(300),
            "\ud800",
            "-1",
            "9223372036854775807",
            "1e999");

    /** Query values that are malformed for a number, a token, an enum or a JSON filter. */
    private static final List<String> BAD_QUERY_VALUES = List.of(
            "-1",
            "-9223372036854775808",
            "9223372036854775807",
            "9223372036854775808",
            "1e999",
            "NaN",
            "1.5",
            "abc",
            "",
            "x".repeat(10_000),
            "{",
            "{\"room\":{\"timeline\":{\"limit\":-1}}}",
            "{\"limit\":1e999}",
            "[]",
            "\u0000",
            "\ud800",
            "s-1_2",
            "t99999999999999999999_0",
            "b",
            "f",
            "true",
            "0");

    /** JSON texts of every kind that a field may wrongly be. */
    private static final List<String> BAD_JSON_VALUES = List.of(
            "\"s\"",
            "\"\"",
            "0",
            "-1",
            "1",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[\"a\",1,null]",
            "{\"a\":{\"b\":1}}",
            "1.5",
            "-0.0",
            "9007199254740993",
            "-9007199254740993",
            "9223372036854775808",
            "1e999",
            "-1e999",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"\\u0000\"",
            "\"" + HUGE + "\"",
            "[".repeat(2000) + "]".repeat(2000),
            "{\"a\":".repeat(600) + "1" + "}".repeat(600),
            "\"@\"",
            "\"!\"",
            "\"$\"",
            "\"mxc://\"");

    /** Whole bodies that are not a JSON object. */
    private static final List<String> BAD_BODIES = List.of(
            "",
            "not json",
            "{",
            "{\"a\":1,\"a\":2}",
            "[]",
            "\"string\"",
            "1",
            "1.5",
            "true",
            "null",
            "\u0000",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":1e999}",
            "[".repeat(5000) + "]".repeat(5000));

    private FuzzInputs() {}

    /** A valid-looking value for a path parameter, from its name. */
    static String validPathValue(String name, FuzzFixture f, Random rnd) {
        String n = name.toLowerCase();
        if (n.contains("roomidoralias") || n.contains("alias")) {
            return rnd.nextBoolean() ? f.room() : f.alias();
        }
        if (n.contains("room")) {
            return f.room();
        }
        if (n.contains("user")) {
            return rnd.nextBoolean() ? f.alice().userId() : f.bob().userId();
        }
        if (n.contains("event") && n.contains("type") || n.equals("type")) {
            return pick(rnd, List.of("m.room.message", "org.example.fuzz", "m.reaction", "m.tag", "m.direct"));
        }
        if (n.contains("event") || n.contains("parent")) {
            return f.event();
        }
        if (n.contains("device")) {
            return f.alice().deviceId();
        }
        if (n.contains("server") || n.equals("origin") || n.equals("destination")) {
            return rnd.nextBoolean() ? f.serverName() : "remote.example";
        }
        if (n.contains("media")) {
            return f.mediaId();
        }
        if (n.contains("filter")) {
            return f.filterId();
        }
        if (n.contains("statekey")) {
            return rnd.nextBoolean() ? "" : f.alice().userId();
        }
        if (n.contains("reltype") || n.equals("relation")) {
            return pick(rnd, List.of("m.annotation", "m.thread", "m.reference"));
        }
        if (n.contains("tag")) {
            return "u.fuzz";
        }
        if (n.contains("version")) {
            return pick(rnd, List.of("1", "10", "latest"));
        }
        if (n.contains("receipt")) {
            return pick(rnd, List.of("m.read", "m.read.private"));
        }
        if (n.contains("kind")) {
            return "global";
        }
        if (n.contains("scope")) {
            return "global";
        }
        if (n.contains("rule")) {
            return pick(rnd, List.of(".m.rule.master", "fuzzrule", "content"));
        }
        if (n.contains("key")) {
            return "ed25519:auto";
        }
        return "fuzz" + rnd.nextInt(1000);
    }

    /** A malformed value for a path parameter; an id of the wrong kind is one of them. */
    static String badPathValue(FuzzFixture f, Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> f.room().replace('!', '@');
            case 1 -> f.alice().userId().replace('@', '!');
            case 2 -> f.event() + "/" + f.room();
            default -> pick(rnd, BAD_PATH_VALUES);
        };
    }

    /** One to three common query parameters, each with a malformed value. */
    static Map<String, String> badQuery(Random rnd) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            query.put(pick(rnd, QUERY_PARAMS), pick(rnd, BAD_QUERY_VALUES));
        }
        return query;
    }

    /** A body that is not a JSON object at all. */
    static String badBody(Random rnd) {
        return pick(rnd, BAD_BODIES);
    }

    /** A JSON text for one field that is of the wrong type or otherwise malformed. */
    static String badJsonValue(Random rnd) {
        return pick(rnd, BAD_JSON_VALUES);
    }

    /**
     * The JSON field names of the spec's request record, in Matrix's snake_case (or as
     * {@code @JsonProperty} names them); empty for free-form and absent bodies.
     */
    static List<String> fieldNames(EndpointSpec<?, ?> spec) {
        return fieldNames(spec.requestBody());
    }

    private static List<String> fieldNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        if (!type.isRecord()) {
            return names;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            names.add(jsonName(c));
        }
        return names;
    }

    /**
     * The fields of a valid-looking request body of the spec's record type, each as a JSON text:
     * strings that look like the fixture's ids where the field name says which, small numbers,
     * empty lists and objects. Free-form bodies get a small message-like object; endpoints without
     * a body an empty one.
     */
    static Map<String, String> validFields(EndpointSpec<?, ?> spec, FuzzFixture f, Random rnd) {
        Class<?> type = spec.requestBody();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        if (type == NoBody.class) {
            return fields;
        }
        if (!type.isRecord()) {
            fields.put("body", "\"fuzz\"");
            fields.put("msgtype", "\"m.text\"");
            return fields;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            fields.put(jsonName(c), validValue(c.getGenericType(), jsonName(c), f, rnd, 0));
        }
        return fields;
    }

    /** A JSON object text of these fields, each value a JSON text. */
    static String object(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(name)).append(':').append(value);
        });
        return out.append('}').toString();
    }

    private static String validObject(Class<?> type, FuzzFixture f, Random rnd, int depth) {
        return object(validRecordFields(type, f, rnd, depth));
    }

    /** The fields of a valid-looking object of record {@code type}, each as a JSON text. */
    private static Map<String, String> validRecordFields(Class<?> type, FuzzFixture f, Random rnd, int depth) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            fields.put(jsonName(c), validValue(c.getGenericType(), jsonName(c), f, rnd, depth));
        }
        return fields;
    }

    /**
     * A body of the spec's record type, valid-looking but for one field somewhere inside it
     * (nested records, list elements and map values included) set to a malformed value.
     *
     * @param path receives the dotted path of the broken field
     */
    static String bodyWithNestedField(EndpointSpec<?, ?> spec, FuzzFixture f, Random rnd, StringBuilder path) {
        return brokenObject(spec.requestBody(), f, rnd, 0, path);
    }

    private static String brokenObject(Class<?> type, FuzzFixture f, Random rnd, int depth, StringBuilder path) {
        Map<String, String> fields = validRecordFields(type, f, rnd, depth);
        RecordComponent[] components = type.getRecordComponents();
        if (components.length == 0) {
            path.append("fuzz");
            fields.put("fuzz", badJsonValue(rnd));
            return object(fields);
        }
        RecordComponent c = components[rnd.nextInt(components.length)];
        String name = jsonName(c);
        path.append(name);
        Type generic = c.getGenericType();
        Class<?> inner = elementRecord(generic);
        if (inner != null && depth < 3 && rnd.nextInt(3) > 0) {
            path.append('.');
            String element = brokenObject(inner, f, rnd, depth + 1, path);
            Class<?> raw = c.getType();
            fields.put(
                    name,
                    Collection.class.isAssignableFrom(raw)
                            ? "[" + element + "]"
                            : Map.class.isAssignableFrom(raw) ? "{\"fuzzkey\":" + element + "}" : element);
        } else {
            fields.put(name, badJsonValue(rnd));
        }
        return object(fields);
    }

    /** The record inside a record, list-of-records or map-of-records type, or null. */
    private static Class<?> elementRecord(Type type) {
        if (type instanceof Class<?> k) {
            return k.isRecord() ? k : null;
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            Type last = args[args.length - 1];
            if (last instanceof Class<?> k && k.isRecord()) {
                return k;
            }
        }
        return null;
    }

    private static String validValue(Type generic, String name, FuzzFixture f, Random rnd, int depth) {
        Class<?> t = generic instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) generic;
        if (t == String.class) {
            return quote(validString(name, f, rnd));
        }
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return "1";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "false";
        }
        if (t == double.class || t == Double.class) {
            return "1";
        }
        if (depth >= 3) {
            return Collection.class.isAssignableFrom(t) ? "[]" : "{}";
        }
        if (generic instanceof ParameterizedType p && Collection.class.isAssignableFrom(t)) {
            Type element = p.getActualTypeArguments()[0];
            return element instanceof Class<?> || element instanceof ParameterizedType
                    ? "[" + validValue(element, name, f, rnd, depth + 1) + "]"
                    : "[]";
        }
        if (generic instanceof ParameterizedType p && Map.class.isAssignableFrom(t)) {
            Type[] args = p.getActualTypeArguments();
            Type value = args[args.length - 1];
            String key = args[0] == String.class ? validString(name, f, rnd) : "fuzzkey";
            return value instanceof Class<?> || value instanceof ParameterizedType
                    ? "{" + quote(key) + ":" + validValue(value, name, f, rnd, depth + 1) + "}"
                    : "{}";
        }
        if (t.isRecord()) {
            return validObject(t, f, rnd, depth + 1);
        }
        if (JsonNode.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t)) {
            return "{}";
        }
        if (t.isEnum() && t.getEnumConstants().length > 0) {
            return quote(t.getEnumConstants()[0].toString().toLowerCase());
        }
        return "null";
    }

    private static String validString(String field, FuzzFixture f, Random rnd) {
        if (field.contains("room")) {
            return f.room();
        }
        if (field.contains("user")) {
            return f.bob().userId();
        }
        if (field.contains("event")) {
            return f.event();
        }
        if (field.contains("device")) {
            return f.alice().deviceId();
        }
        if (field.contains("url")) {
            return f.mxc();
        }
        if (field.contains("version")) {
            return "10";
        }
        return "fuzz" + rnd.nextInt(100);
    }

    /** The JSON name of a record component as {@code EndpointJson} reads it. */
    static String jsonName(RecordComponent c) {
        JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
        if (property == null) {
            property = c.getAnnotation(JsonProperty.class);
        }
        if (property != null && !property.value().isEmpty()) {
            return property.value();
        }
        return new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName());
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static <T> T pick(Random rnd, List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }
}
