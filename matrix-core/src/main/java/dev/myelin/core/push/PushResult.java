package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of evaluating one event against a ruleset.
 *
 * @param kind    the kind of the rule that matched; empty when none did
 * @param ruleId  the rule that matched; empty when none did
 * @param actions that rule's actions; empty when none matched or the rule says not to notify
 */
public record PushResult(Optional<PushRuleKind> kind, Optional<String> ruleId, List<PushAction> actions) {
    public static final PushResult NO_MATCH = new PushResult(Optional.empty(), Optional.empty(), List.of());

    /** Copies the actions. */
    public PushResult {
        actions = List.copyOf(actions);
    }

    /** Whether the event generates a notification (and so counts towards {@code notification_count}). */
    public boolean notifies() {
        return actions.stream().anyMatch(PushAction.Notify.class::isInstance);
    }

    /**
     * Whether the event is highlighted: a {@code highlight} tweak with no value or a value of
     * {@code true}. Only meaningful when {@link #notifies()}.
     */
    public boolean highlights() {
        return tweak("highlight")
                .map(v -> v.map(JsonNode::asBoolean).orElse(true))
                .orElse(false);
    }

    /** The {@code sound} tweak's value, if one is set to a string. */
    public Optional<String> sound() {
        return tweak("sound").flatMap(v -> v).filter(JsonNode::isTextual).map(JsonNode::textValue);
    }

    /** The actions as JSON, e.g. for {@code GET /notifications}. */
    public ArrayNode actionsJson() {
        ArrayNode json = JsonNodeFactory.instance.arrayNode();
        actions.forEach(a -> json.add(a.toJson()));
        return json;
    }

    /** The value of the last {@code set_tweak} of {@code name} (outer empty: not set; inner: set without value). */
    private Optional<Optional<JsonNode>> tweak(String name) {
        Optional<Optional<JsonNode>> found = Optional.empty();
        for (PushAction action : actions) {
            if (action instanceof PushAction.SetTweak t && t.name().equals(name)) {
                found = Optional.of(t.value());
            }
        }
        return found;
    }
}
