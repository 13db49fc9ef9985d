package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One condition of an {@code override} or {@code underride} push rule. All conditions of a rule
 * must hold for it to match. A condition whose kind this server does not know, or whose
 * parameters are unusable, is kept as {@link Unknown} so it survives a round trip, and never
 * matches, which the spec requires ("effectively making the push rule disabled").
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#conditions-1">Conditions</a>
 */
public sealed interface PushCondition {
    /** The smallest and largest integers canonical JSON allows: {@code ±(2^53 - 1)}. */
    long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /** The condition as it appears in a rule's {@code conditions} list. */
    ObjectNode toJson();

    /**
     * A glob match on a string property. For {@code content.body} the glob may match any run of
     * words rather than the whole value.
     */
    record EventMatch(String key, String pattern) implements PushCondition {
        @Override
        public ObjectNode toJson() {
            return object("event_match").put("key", key).put("pattern", pattern);
        }
    }

    /** An exact match of a scalar property: string, integer, boolean or null, never cast. */
    record EventPropertyIs(String key, JsonNode value) implements PushCondition {
        @Override
        public ObjectNode toJson() {
            ObjectNode json = object("event_property_is").put("key", key);
            json.set("value", value);
            return json;
        }
    }

    /** An array property containing a scalar exactly. */
    record EventPropertyContains(String key, JsonNode value) implements PushCondition {
        @Override
        public ObjectNode toJson() {
            ObjectNode json = object("event_property_contains").put("key", key);
            json.set("value", value);
            return json;
        }
    }

    /** {@code content.body} contains the user's display name in the room (deprecated since v1.17). */
    record ContainsDisplayName() implements PushCondition {
        @Override
        public ObjectNode toJson() {
            return object("contains_display_name");
        }
    }

    /**
     * The room's member count compared with {@code count}.
     *
     * @param is the parameter as written, e.g. {@code ">=10"}, kept for the round trip
     */
    record RoomMemberCount(String is, Comparison comparison, long count) implements PushCondition {
        private static final Pattern SYNTAX = Pattern.compile("(==|<=|>=|<|>)?([0-9]+)");

        /** Parses an {@code is} parameter; empty when it is not a prefix and a decimal integer. */
        public static Optional<RoomMemberCount> parse(String is) {
            Matcher m = SYNTAX.matcher(is);
            if (!m.matches() || m.group(2).length() > 18) {
                return Optional.empty();
            }
            Comparison comparison = switch (m.group(1) == null ? "==" : m.group(1)) {
                case "<" -> Comparison.LESS;
                case ">" -> Comparison.GREATER;
                case "<=" -> Comparison.LESS_OR_EQUAL;
                case ">=" -> Comparison.GREATER_OR_EQUAL;
                default -> Comparison.EQUAL;
            };
            return Optional.of(new RoomMemberCount(is, comparison, Long.parseLong(m.group(2))));
        }

        boolean test(long members) {
            return switch (comparison) {
                case EQUAL -> members == count;
                case LESS -> members < count;
                case GREATER -> members > count;
                case LESS_OR_EQUAL -> members <= count;
                case GREATER_OR_EQUAL -> members >= count;
            };
        }

        @Override
        public ObjectNode toJson() {
            return object("room_member_count").put("is", is);
        }
    }

    /** How {@link RoomMemberCount} compares. */
    enum Comparison {
        /** {@code ==} (or no operator). */
        EQUAL,
        /** {@code <}. */
        LESS,
        /** {@code >}. */
        GREATER,
        /** {@code <=}. */
        LESS_OR_EQUAL,
        /** {@code >=}. */
        GREATER_OR_EQUAL
    }

    /** The sender's power level reaches the level the power levels' {@code notifications.<key>} asks. */
    record SenderNotificationPermission(String key) implements PushCondition {
        @Override
        public ObjectNode toJson() {
            return object("sender_notification_permission").put("key", key);
        }
    }

    /** A condition this server cannot evaluate; it never matches. */
    record Unknown(ObjectNode json) implements PushCondition {
        /** Keeps a copy of the condition as received. */
        public Unknown {
            json = json.deepCopy();
        }

        @Override
        public ObjectNode toJson() {
            return json.deepCopy();
        }
    }

    /**
     * Reads a condition leniently: anything unusable becomes {@link Unknown}. For rules stored
     * earlier or written by other software.
     */
    static PushCondition fromJson(JsonNode json) {
        if (!(json instanceof ObjectNode object)) {
            ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
            wrapped.set("kind", json);
            return new Unknown(wrapped);
        }
        try {
            return parseStrict(object);
        } catch (InvalidPushRuleException e) {
            return new Unknown(object);
        }
    }

    /**
     * Reads a condition a client sent. Conditions of unknown kinds are accepted (as {@link Unknown})
     * because the spec lets rules carry them; a known kind with missing or mistyped parameters is
     * refused so the client learns its rule would never match.
     *
     * @throws InvalidPushRuleException when the condition is malformed
     */
    static PushCondition parseStrict(ObjectNode json) {
        JsonNode kind = json.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new InvalidPushRuleException("a condition needs a string 'kind'");
        }
        return switch (kind.textValue()) {
            case "event_match" -> new EventMatch(string(json, "key"), string(json, "pattern"));
            case "event_property_is" -> new EventPropertyIs(string(json, "key"), scalar(json));
            case "event_property_contains" -> new EventPropertyContains(string(json, "key"), scalar(json));
            case "contains_display_name" -> new ContainsDisplayName();
            case "room_member_count" ->
                RoomMemberCount.parse(string(json, "is"))
                        .orElseThrow(() -> new InvalidPushRuleException(
                                "room_member_count 'is' must be an optional ==, <, >, <= or >= "
                                        + "followed by a decimal integer"));
            case "sender_notification_permission" -> new SenderNotificationPermission(string(json, "key"));
            default -> new Unknown(json);
        };
    }

    private static String string(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new InvalidPushRuleException(json.path("kind").asText() + " needs a string '" + field + "'");
        }
        return node.textValue();
    }

    private static JsonNode scalar(ObjectNode json) {
        JsonNode value = json.get("value");
        if (value == null || !isScalar(value)) {
            throw new InvalidPushRuleException(
                    json.path("kind").asText() + " needs a 'value' that is a string, an integer, a boolean or null");
        }
        return value;
    }

    /** Whether {@code node} is a value the property conditions compare: canonical JSON scalars. */
    static boolean isScalar(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong()
                    && node.longValue() >= -MAX_SAFE_INTEGER
                    && node.longValue() <= MAX_SAFE_INTEGER;
        }
        return node.isTextual() || node.isBoolean() || node.isNull();
    }

    private static ObjectNode object(String kind) {
        return JsonNodeFactory.instance.objectNode().put("kind", kind);
    }
}
