package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a ruleset against events: the actions of the first enabled rule that matches, trying
 * override, content, room, sender and underride rules in that order and each list in order.
 *
 * <p>An instance compiles the ruleset's globs and property paths once, so evaluating many events
 * for one user (e.g. counting unread notifications) does not recompile them per event. Instances
 * are immutable and thread-safe. The evaluator does not know who sent the event relative to the
 * user: callers must not evaluate a user's own events, which never notify.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules">Push rules</a>
 */
public final class PushEvaluator {
    private static final PropertyPath BODY = PropertyPath.parse("content.body");
    private static final PropertyPath ROOM_ID = PropertyPath.parse("room_id");
    private static final PropertyPath SENDER = PropertyPath.parse("sender");

    private final Ruleset ruleset;
    private final Map<String, Glob> globs = new HashMap<>();
    private final Map<String, PropertyPath> paths = new HashMap<>();

    private PushEvaluator(Ruleset ruleset) {
        this.ruleset = ruleset;
        for (PushRuleKind kind : PushRuleKind.values()) {
            for (PushRule rule : ruleset.rules(kind)) {
                rule.pattern().ifPresent(p -> globs.computeIfAbsent(p, Glob::compile));
                for (PushCondition condition : rule.conditions()) {
                    switch (condition) {
                        case PushCondition.EventMatch m -> {
                            globs.computeIfAbsent(m.pattern(), Glob::compile);
                            paths.computeIfAbsent(m.key(), PropertyPath::parse);
                        }
                        case PushCondition.EventPropertyIs p -> paths.computeIfAbsent(p.key(), PropertyPath::parse);
                        case PushCondition.EventPropertyContains p ->
                            paths.computeIfAbsent(p.key(), PropertyPath::parse);
                        default -> {}
                    }
                }
            }
        }
    }

    /** An evaluator of {@code ruleset}. */
    public static PushEvaluator of(Ruleset ruleset) {
        return new PushEvaluator(ruleset);
    }

    /** Evaluates one client-format event against {@code ruleset}; see {@link #evaluate(JsonNode, PushContext)}. */
    public static PushResult evaluate(JsonNode event, PushContext context, Ruleset ruleset) {
        return of(ruleset).evaluate(event, context);
    }

    /** Evaluates one event against {@code ruleset}, reading it in client format. */
    public static PushResult evaluate(Pdu event, PushContext context, Ruleset ruleset) {
        return of(ruleset).evaluate(event, context);
    }

    /**
     * What the rules say about {@code event}: the first matching enabled rule's actions.
     *
     * @param event the event
     * @param context the recipient and room facts the conditions need
     * @return the matching rule and its actions, or none
     */
    public PushResult evaluate(Pdu event, PushContext context) {
        return evaluate(ClientEvent.toClientFormat(event), context);
    }

    /**
     * The result for {@code event} in client format ({@code type}, {@code content},
     * {@code sender}, {@code room_id}, {@code state_key}, …).
     */
    public PushResult evaluate(JsonNode event, PushContext context) {
        for (PushRuleKind kind : PushRuleKind.values()) {
            for (PushRule rule : ruleset.rules(kind)) {
                if (rule.enabled() && matches(kind, rule, event, context)) {
                    return new PushResult(Optional.of(kind), Optional.of(rule.ruleId()), rule.actions());
                }
            }
        }
        return PushResult.NO_MATCH;
    }

    private boolean matches(PushRuleKind kind, PushRule rule, JsonNode event, PushContext context) {
        return switch (kind) {
            case OVERRIDE, UNDERRIDE -> rule.conditions().stream().allMatch(c -> holds(c, event, context));
            case CONTENT ->
                rule.pattern()
                        .map(p -> string(BODY, event)
                                .map(globs.get(p)::matchesWords)
                                .orElse(false))
                        .orElse(false);
            case ROOM -> string(ROOM_ID, event).map(rule.ruleId()::equals).orElse(false);
            case SENDER -> string(SENDER, event).map(rule.ruleId()::equals).orElse(false);
        };
    }

    private boolean holds(PushCondition condition, JsonNode event, PushContext context) {
        return switch (condition) {
            case PushCondition.EventMatch m -> {
                Optional<String> value = string(paths.get(m.key()), event);
                Glob glob = globs.get(m.pattern());
                // the spec singles out content.body: its glob may match any run of whole words
                yield value.map(v -> m.key().equals("content.body") ? glob.matchesWords(v) : glob.matchesWhole(v))
                        .orElse(false);
            }
            case PushCondition.EventPropertyIs p ->
                paths.get(p.key())
                        .lookup(event)
                        .map(v -> sameScalar(v, p.value()))
                        .orElse(false);
            case PushCondition.EventPropertyContains p ->
                paths.get(p.key())
                        .lookup(event)
                        .filter(JsonNode::isArray)
                        .map(array -> contains(array, p.value()))
                        .orElse(false);
            case PushCondition.ContainsDisplayName ignored ->
                context.displayName()
                        .filter(name -> !name.isBlank())
                        .flatMap(name -> string(BODY, event).map(body -> containsWords(body, name)))
                        .orElse(false);
            case PushCondition.RoomMemberCount c -> c.test(context.memberCount());
            case PushCondition.SenderNotificationPermission p ->
                context.senderPowerLevel() >= context.requiredNotificationLevel(p.key());
            case PushCondition.Unknown ignored -> false;
        };
    }

    private static Optional<String> string(PropertyPath path, JsonNode event) {
        return path.lookup(event).filter(JsonNode::isTextual).map(JsonNode::textValue);
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode element : array) {
            if (sameScalar(element, value)) {
                return true;
            }
        }
        return false;
    }

    /** Exact equality of canonical JSON scalars, without casts ({@code "true"} is not {@code true}). */
    static boolean sameScalar(JsonNode actual, JsonNode expected) {
        if (!PushCondition.isScalar(actual) || !PushCondition.isScalar(expected)) {
            return false;
        }
        if (actual.isIntegralNumber() && expected.isIntegralNumber()) {
            return actual.longValue() == expected.longValue();
        }
        if (actual.isTextual() && expected.isTextual()) {
            return actual.textValue().equals(expected.textValue());
        }
        if (actual.isBoolean() && expected.isBoolean()) {
            return actual.booleanValue() == expected.booleanValue();
        }
        return actual.isNull() && expected.isNull();
    }

    /** Whether {@code name} occurs in {@code body} as whole words, case-insensitively (no wildcards). */
    private static boolean containsWords(String body, String name) {
        String lowerBody = body.toLowerCase(java.util.Locale.ROOT);
        String lowerName = name.toLowerCase(java.util.Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lowerBody.indexOf(lowerName, from);
            if (at < 0) {
                return false;
            }
            int end = at + lowerName.length();
            if ((at == 0 || !isWordChar(lowerBody.charAt(at - 1)))
                    && (end == lowerBody.length() || !isWordChar(lowerBody.charAt(end)))) {
                return true;
            }
            from = at + 1;
        }
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
