package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One push rule. Which fields matter depends on its {@link PushRuleKind}: {@code override} and
 * {@code underride} rules have {@code conditions}; {@code content} rules a {@code pattern};
 * {@code room} and {@code sender} rules only their id, which names the room or the sender.
 *
 * @param ruleId     unique within its kind; server-default rules start with a dot
 * @param isDefault  whether it is a server-default rule
 * @param enabled    disabled rules never match
 * @param conditions all must hold (override and underride rules only)
 * @param actions    what a match means; empty means "do not notify"
 * @param pattern    the glob matched against {@code content.body} (content rules only)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules">Push rules</a>
 */
public record PushRule(
        String ruleId,
        boolean isDefault,
        boolean enabled,
        List<PushCondition> conditions,
        List<PushAction> actions,
        Optional<String> pattern) {

    /** Copies the lists, so the value cannot change. */
    public PushRule {
        conditions = List.copyOf(conditions);
        actions = List.copyOf(actions);
    }

    /** Whether {@code ruleId} names a server-default rule, which clients may not create or delete. */
    public static boolean isServerDefaultId(String ruleId) {
        return ruleId.startsWith(".");
    }

    /**
     * This rule enabled or disabled.
     *
     * @param value whether it is enabled
     * @return the changed copy
     */
    public PushRule withEnabled(boolean value) {
        return new PushRule(ruleId, isDefault, value, conditions, actions, pattern);
    }

    /**
     * This rule with other actions.
     *
     * @param value the actions
     * @return the changed copy
     */
    public PushRule withActions(List<PushAction> value) {
        return new PushRule(ruleId, isDefault, enabled, conditions, value, pattern);
    }

    /** The rule as the push rules API and {@code m.push_rules} present it, for a rule of {@code kind}. */
    public ObjectNode toJson(PushRuleKind kind) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("rule_id", ruleId);
        json.put("default", isDefault);
        json.put("enabled", enabled);
        if (kind.hasConditions()) {
            ArrayNode list = json.putArray("conditions");
            conditions.forEach(c -> list.add(c.toJson()));
        }
        ArrayNode list = json.putArray("actions");
        actions.forEach(a -> list.add(a.toJson()));
        if (kind == PushRuleKind.CONTENT) {
            pattern.ifPresent(p -> json.put("pattern", p));
        }
        return json;
    }

    /**
     * Reads a stored rule leniently; empty when it has no string {@code rule_id}. Unusable
     * conditions become {@link PushCondition.Unknown} (never matching), unknown actions are kept.
     */
    public static Optional<PushRule> fromJson(@Nullable JsonNode json) {
        if (json == null || !json.path("rule_id").isTextual()) {
            return Optional.empty();
        }
        List<PushCondition> conditions = new ArrayList<>();
        JsonNode list = json.get("conditions");
        if (list != null && list.isArray()) {
            list.forEach(c -> conditions.add(PushCondition.fromJson(c)));
        }
        JsonNode pattern = json.get("pattern");
        String id = json.get("rule_id").textValue();
        return Optional.of(new PushRule(
                id,
                json.path("default").asBoolean(isServerDefaultId(id)),
                json.path("enabled").asBoolean(true),
                conditions,
                PushAction.listFromJson(json.get("actions")),
                pattern != null && pattern.isTextual() ? Optional.of(pattern.textValue()) : Optional.empty()));
    }

    /**
     * Reads a new or replaced user rule from a client's {@code PUT} body: {@code actions} is
     * required, {@code conditions} is read for override and underride rules, and a content rule
     * needs a non-empty {@code pattern}. The rule is enabled, as the spec requires for new rules.
     *
     * @throws InvalidPushRuleException when the body is malformed
     */
    public static PushRule fromClient(PushRuleKind kind, String ruleId, ObjectNode body) {
        List<PushAction> actions = PushAction.listFromClient(body.get("actions"));
        List<PushCondition> conditions = new ArrayList<>();
        if (kind.hasConditions()) {
            JsonNode list = body.get("conditions");
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw new InvalidPushRuleException("'conditions' must be an array");
                }
                for (JsonNode c : list) {
                    if (!(c instanceof ObjectNode object)) {
                        throw new InvalidPushRuleException("each condition must be an object");
                    }
                    conditions.add(PushCondition.parseStrict(object));
                }
            }
        }
        Optional<String> pattern = Optional.empty();
        if (kind == PushRuleKind.CONTENT) {
            JsonNode node = body.get("pattern");
            if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
                throw new InvalidPushRuleException("a content rule needs a non-empty string 'pattern'");
            }
            pattern = Optional.of(node.textValue());
        }
        return new PushRule(ruleId, false, true, conditions, actions, pattern);
    }
}
