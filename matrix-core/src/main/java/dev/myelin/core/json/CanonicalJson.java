package dev.myelin.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.myelin.core.room.RoomVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Matrix canonical JSON: the one byte encoding of a JSON value that is signed and hashed.
 *
 * <p>{@link #encode} writes the shortest UTF-8 form: no insignificant whitespace, object keys
 * sorted by Unicode code point (not by UTF-16 unit, which orders supplementary characters
 * differently), only {@code "}, {@code \} and control characters escaped ({@code \b \t \n \f \r}
 * short forms, <code>&#92;u00XX</code> with lowercase hex for the rest), every other character written raw.
 * Numbers must be integers in {@code [-(2^53)+1, 2^53-1]}; a number written with a fraction or
 * exponent is accepted only when its value is such an integer (the spec's example turns
 * {@code 1e10} into {@code 10000000000}), anything else throws {@link CanonicalJsonException}
 * naming the path of the value.
 *
 * <p>{@link #parse} is lenient, as room versions 1 to 5 require: it accepts any JSON and keeps
 * the last of duplicate keys. {@link #parseStrict} is for room versions with
 * {@link RoomVersion#strictCanonicalJson()}: it rejects duplicate keys, numbers with a fraction
 * or exponent, and integers out of range.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#canonical-json">Canonical JSON</a>
 */
public final class CanonicalJson {
    /** The largest integer canonical JSON allows, {@code 2^53 - 1}. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    /** The smallest integer canonical JSON allows, {@code -(2^53) + 1}. */
    public static final long MIN_SAFE_INTEGER = -MAX_SAFE_INTEGER;

    private static final BigInteger MAX = BigInteger.valueOf(MAX_SAFE_INTEGER);
    private static final BigInteger MIN = BigInteger.valueOf(MIN_SAFE_INTEGER);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** {@code 2^53 - 1} has 16 decimal digits; a number with more integer digits is out of range. */
    private static final int MAX_SAFE_DIGITS = 16;

    /** Sorts strings by Unicode code point, which is the order of their UTF-8 bytes. */
    static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

    // Immutable once built; readers are thread-safe and derived without mutating the mapper.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final ObjectReader LENIENT = MAPPER.reader();
    private static final ObjectReader STRICT = MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private CanonicalJson() {}

    /**
     * The shared lenient reader, configured as {@link #parse} uses it (floats read exactly as
     * {@link java.math.BigDecimal}). Readers are immutable, so sharing it is safe; the mapper
     * behind it stays private so nobody can reconfigure it.
     */
    public static ObjectReader reader() {
        return LENIENT;
    }

    /** Encodes {@code value} as canonical JSON bytes (UTF-8). */
    public static byte[] encode(JsonNode value) {
        return encodeToString(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes {@code value} as a canonical JSON string. */
    public static String encodeToString(JsonNode value) {
        Objects.requireNonNull(value, "value");
        StringBuilder out = new StringBuilder(256);
        write(value, out, new Path(), false);
        return out.toString();
    }

    /**
     * Encodes {@code value} as {@link #encode} does, except that a number canonical JSON has no form
     * for (a fraction, or an integer out of range) is written as it was read instead of refused. A
     * request body is signed by its sender as it is, floats included: its signature must verify so
     * that what the body holds can be answered for itself (an event with a float is refused as an
     * event, not as an unauthenticated request), as Synapse's lenient encoding of request bodies
     * allows. Only for checking request signatures: events and keys are signed with {@link #encode}.
     */
    public static byte[] encodeLenient(JsonNode value) {
        Objects.requireNonNull(value, "value");
        StringBuilder out = new StringBuilder(256);
        write(value, out, new Path(), true);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses JSON leniently: duplicate keys keep the last value, any number is read. */
    public static JsonNode parse(String json) {
        return read(LENIENT, json, false);
    }

    /** Parses UTF-8 JSON leniently: duplicate keys keep the last value, any number is read. */
    public static JsonNode parse(byte[] json) {
        return read(LENIENT, json, false);
    }

    /**
     * Parses JSON and rejects what canonical JSON forbids: duplicate keys, floats (numbers with a
     * fraction or exponent) and integers outside {@code [-(2^53)+1, 2^53-1]}.
     */
    public static JsonNode parseStrict(String json) {
        return read(STRICT, json, true);
    }

    /** As {@link #parseStrict(String)}, for UTF-8 bytes. */
    public static JsonNode parseStrict(byte[] json) {
        return read(STRICT, json, true);
    }

    /** Parses strictly when {@code version} enforces canonical JSON (v6+), leniently otherwise. */
    public static JsonNode parse(byte[] json, RoomVersion version) {
        return version.strictCanonicalJson() ? parseStrict(json) : parse(json);
    }

    private static JsonNode read(ObjectReader reader, Object source, boolean strict) {
        JsonNode node;
        try {
            node = source instanceof byte[] bytes ? reader.readTree(bytes) : reader.readTree((String) source);
        } catch (JsonProcessingException e) {
            throw new CanonicalJsonException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CanonicalJsonException("invalid JSON: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new CanonicalJsonException("invalid JSON: no content");
        }
        if (strict) {
            checkStrictNumbers(node, new Path());
        }
        return node;
    }

    /**
     * Checks that {@code value} can travel as canonical JSON exactly as the client wrote it: every
     * number an integer in {@code [-(2^53)+1, 2^53-1]} written without a fraction or exponent, and no
     * string or object key with a lone UTF-16 surrogate. This is the rule for free-form JSON that
     * becomes event content, checked once where it enters, so encoding it later cannot fail.
     *
     * @param value the JSON value
     * @param name the name of {@code value} in the request, such as {@code content}; error messages
     *     name the offending value by its path below it, such as {@code 'content.foo[2]'}
     * @throws CanonicalJsonException naming the path of the first value that does not fit
     */
    public static void checkValue(JsonNode value, String name) {
        Objects.requireNonNull(value, "value");
        Path path = new Path();
        path.push(Objects.requireNonNull(name, "name"));
        checkValue(value, path);
    }

    private static void checkValue(JsonNode node, Path path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (hasLoneSurrogate(field.getKey())) {
                    throw new CanonicalJsonException("'" + path + "' has a key with a lone UTF-16 surrogate");
                }
                path.push(field.getKey());
                checkValue(field.getValue(), path);
                path.pop();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.pushIndex(i);
                checkValue(node.get(i), path);
                path.pop();
            }
        } else if (node.isNumber()) {
            if (!node.isIntegralNumber()) {
                throw new CanonicalJsonException("'" + path + "' is not an integer: canonical JSON has no "
                        + "fractions, exponents or non-finite numbers");
            }
            BigInteger value = node.bigIntegerValue();
            if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
                throw new CanonicalJsonException("'" + path + "' is out of the range [-(2^53)+1, 2^53-1]");
            }
        } else if (node.isTextual() && hasLoneSurrogate(node.textValue())) {
            throw new CanonicalJsonException("'" + path + "' has a lone UTF-16 surrogate");
        }
    }

    /** Whether {@code value} has a UTF-16 surrogate that is not half of a pair, which UTF-8 cannot encode. */
    public static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void checkStrictNumbers(JsonNode node, Path path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                path.push(field.getKey());
                checkStrictNumbers(field.getValue(), path);
                path.pop();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.pushIndex(i);
                checkStrictNumbers(node.get(i), path);
                path.pop();
            }
        } else if (node.isNumber()) {
            if (!node.isIntegralNumber()) {
                throw new CanonicalJsonException(
                        "float not allowed in canonical JSON at " + path + ": " + node.asText());
            }
            checkRange(node.bigIntegerValue(), path);
        }
    }

    private static void write(JsonNode node, StringBuilder out, Path path, boolean lenient) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out, path, lenient);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    path.pushIndex(i);
                    write(node.get(i), out, path, lenient);
                    path.pop();
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out, path);
            case NUMBER -> out.append(lenient ? lenientNumber(node, path) : integerValue(node, path));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default ->
                throw new CanonicalJsonException(
                        "value of type " + node.getNodeType() + " cannot be written as JSON at " + path);
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out, Path path, boolean lenient) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
        fields.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
            if (!first) {
                out.append(',');
            }
            first = false;
            path.push(field.getKey());
            writeString(field.getKey(), out, path);
            out.append(':');
            write(field.getValue(), out, path, lenient);
            path.pop();
        }
        out.append('}');
    }

    private static BigInteger integerValue(JsonNode node, Path path) {
        BigInteger value;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else {
            BigDecimal decimal = node.isBigDecimal() ? node.decimalValue() : finiteDecimal(node, path);
            if (decimal.precision() - decimal.scale() > MAX_SAFE_DIGITS) {
                // Checked before toBigIntegerExact, which would expand 1e99999999 digit by digit.
                throw new CanonicalJsonException(
                        "integer out of range [-(2^53)+1, 2^53-1] at " + path + ": " + node.asText());
            }
            try {
                value = decimal.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new CanonicalJsonException(
                        "float not allowed in canonical JSON at " + path + ": " + node.asText());
            }
        }
        checkRange(value, path);
        return value;
    }

    /** A number as canonical JSON writes it when it can, else as it was read (its decimal text). */
    private static String lenientNumber(JsonNode node, Path path) {
        try {
            return integerValue(node, path).toString();
        } catch (CanonicalJsonException e) {
            if (node.isIntegralNumber()) {
                return node.bigIntegerValue().toString();
            }
            if (node.isBigDecimal()) {
                return node.decimalValue().toString();
            }
            return node.asText();
        }
    }

    private static BigDecimal finiteDecimal(JsonNode node, Path path) {
        double d = node.doubleValue();
        if (!Double.isFinite(d)) {
            throw new CanonicalJsonException("non-finite number not allowed in canonical JSON at " + path);
        }
        return new BigDecimal(d);
    }

    private static void checkRange(BigInteger value, Path path) {
        if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
            throw new CanonicalJsonException("integer out of range [-(2^53)+1, 2^53-1] at " + path + ": " + value);
        }
    }

    private static void writeString(String value, StringBuilder out, Path path) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c)
                                && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1))) {
                            out.append(c).append(value.charAt(++i));
                        } else {
                            throw new CanonicalJsonException(
                                    "string with a lone surrogate cannot be encoded as UTF-8 at " + path);
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The dotted path of the value being visited, for error messages. */
    private static final class Path {
        private final List<String> parts = new ArrayList<>();

        void push(String key) {
            parts.add(key);
        }

        void pushIndex(int index) {
            parts.add("[" + index + "]");
        }

        void pop() {
            parts.remove(parts.size() - 1);
        }

        @Override
        public String toString() {
            if (parts.isEmpty()) {
                return "the top level";
            }
            StringBuilder s = new StringBuilder();
            for (String part : parts) {
                if (!s.isEmpty() && !part.startsWith("[")) {
                    s.append('.');
                }
                s.append(part);
            }
            return s.toString();
        }
    }
}
