package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One action of a push rule: {@code "notify"} or a {@code set_tweak}. The historical
 * {@code dont_notify} and {@code coalesce} actions are accepted and kept as {@link Unknown}, so a
 * rule reads back as the client wrote it (clients still write {@code ["dont_notify"]} and some
 * compare what they read back), but they mean nothing: {@code ["dont_notify"]} behaves as
 * {@code []}, which is what the spec requires of them.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#actions">Actions</a>
 */
public sealed interface PushAction {
    /** Actions older spec versions defined; they are kept but mean nothing now. */
    Set<String> HISTORICAL = Set.of("dont_notify", "coalesce");

    /**
     * The action as it appears in a rule's {@code actions}.
     *
     * @return the JSON
     */
    JsonNode toJson();

    /** Each matching event generates a notification. */
    record Notify() implements PushAction {
        @Override
        public JsonNode toJson() {
            return TextNode.valueOf("notify");
        }
    }

    /**
     * Sets a tweak passed through to the push gateway ({@code sound}, {@code highlight} or one a
     * client and gateway agreed on).
     *
     * @param value the tweak's value; absent for {@code {"set_tweak": "highlight"}}, which means true
     */
    record SetTweak(String name, Optional<JsonNode> value) implements PushAction {
        @Override
        public JsonNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("set_tweak", name);
            value.ifPresent(v -> json.set("value", v));
            return json;
        }
    }

    /** An action this server does not know, read from storage; kept for the round trip, otherwise ignored. */
    record Unknown(JsonNode json) implements PushAction {
        /** Keeps a copy of the action as read. */
        public Unknown {
            json = json.deepCopy();
        }

        @Override
        public JsonNode toJson() {
            return json.deepCopy();
        }
    }

    /** The {@code notify} action. */
    Notify NOTIFY = new Notify();

    /**
     * The {@code sound} tweak.
     *
     * @param value the sound, e.g. {@code default}
     * @return the action
     */
    static SetTweak sound(String value) {
        return new SetTweak("sound", Optional.of(TextNode.valueOf(value)));
    }

    /**
     * The {@code highlight} tweak, meaning true.
     *
     * @return the action
     */
    static SetTweak highlight() {
        return new SetTweak("highlight", Optional.empty());
    }

    /** Reads an actions array leniently (historical actions and anything odd kept as {@link Unknown}). */
    static List<PushAction> listFromJson(JsonNode json) {
        List<PushAction> actions = new ArrayList<>();
        if (json == null || !json.isArray()) {
            return actions;
        }
        for (JsonNode node : json) {
            try {
                actions.add(parseStrict(node));
            } catch (InvalidPushRuleException e) {
                actions.add(new Unknown(node));
            }
        }
        return actions;
    }

    /**
     * Reads an actions array a client sent.
     *
     * @throws InvalidPushRuleException when it is not an array of known actions
     */
    static List<PushAction> listFromClient(JsonNode json) {
        if (json == null || !json.isArray()) {
            throw new InvalidPushRuleException("'actions' must be an array");
        }
        List<PushAction> actions = new ArrayList<>();
        for (JsonNode node : json) {
            actions.add(parseStrict(node));
        }
        return actions;
    }

    private static PushAction parseStrict(JsonNode node) {
        if (node.isTextual()) {
            String name = node.textValue();
            if (name.equals("notify")) {
                return NOTIFY;
            }
            if (HISTORICAL.contains(name)) {
                return new Unknown(node);
            }
            throw new InvalidPushRuleException("unknown action '" + name + "'");
        }
        if (node.isObject()) {
            JsonNode tweak = node.get("set_tweak");
            if (tweak == null || !tweak.isTextual()) {
                throw new InvalidPushRuleException("an object action needs a string 'set_tweak'");
            }
            return new SetTweak(
                    tweak.textValue(), Optional.ofNullable(node.get("value")).map(JsonNode::deepCopy));
        }
        throw new InvalidPushRuleException("an action must be a string or an object");
    }
}
