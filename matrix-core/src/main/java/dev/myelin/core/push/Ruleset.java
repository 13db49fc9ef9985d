package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A user's push rules of every kind, each list in priority order (most important first). The
 * ruleset is evaluated kind by kind in {@link PushRuleKind} order, so an override rule always
 * beats a content rule whatever the lists hold.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules">Push rules</a>
 */
public record Ruleset(
        List<PushRule> override,
        List<PushRule> content,
        List<PushRule> room,
        List<PushRule> sender,
        List<PushRule> underride) {

    public static final Ruleset EMPTY = new Ruleset(List.of(), List.of(), List.of(), List.of(), List.of());

    /** Copies the lists of each kind. */
    public Ruleset {
        override = List.copyOf(override);
        content = List.copyOf(content);
        room = List.copyOf(room);
        sender = List.copyOf(sender);
        underride = List.copyOf(underride);
    }

    /** A ruleset from one list per kind; kinds not in the map are empty. */
    public static Ruleset of(Map<PushRuleKind, List<PushRule>> byKind) {
        return new Ruleset(
                byKind.getOrDefault(PushRuleKind.OVERRIDE, List.of()),
                byKind.getOrDefault(PushRuleKind.CONTENT, List.of()),
                byKind.getOrDefault(PushRuleKind.ROOM, List.of()),
                byKind.getOrDefault(PushRuleKind.SENDER, List.of()),
                byKind.getOrDefault(PushRuleKind.UNDERRIDE, List.of()));
    }

    /** The rules of {@code kind}, most important first. */
    public List<PushRule> rules(PushRuleKind kind) {
        return switch (kind) {
            case OVERRIDE -> override;
            case CONTENT -> content;
            case ROOM -> room;
            case SENDER -> sender;
            case UNDERRIDE -> underride;
        };
    }

    /** This ruleset with the rules of {@code kind} replaced. */
    public Ruleset with(PushRuleKind kind, List<PushRule> rules) {
        Map<PushRuleKind, List<PushRule>> byKind = byKind();
        byKind.put(kind, rules);
        return of(byKind);
    }

    /** The rule of {@code kind} with {@code ruleId}, if any. */
    public Optional<PushRule> find(PushRuleKind kind, String ruleId) {
        return rules(kind).stream().filter(r -> r.ruleId().equals(ruleId)).findFirst();
    }

    /** A mutable copy of the lists, by kind. */
    public Map<PushRuleKind, List<PushRule>> byKind() {
        Map<PushRuleKind, List<PushRule>> byKind = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            byKind.put(kind, new ArrayList<>(rules(kind)));
        }
        return byKind;
    }

    /** The ruleset as the push rules API presents it: one array per kind, all five present. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        for (PushRuleKind kind : PushRuleKind.values()) {
            ArrayNode list = json.putArray(kind.wireName());
            rules(kind).forEach(r -> list.add(r.toJson(kind)));
        }
        return json;
    }

    /** Reads a ruleset leniently; missing or malformed kinds are empty, unreadable rules dropped. */
    public static Ruleset fromJson(@Nullable JsonNode json) {
        Map<PushRuleKind, List<PushRule>> byKind = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            List<PushRule> rules = new ArrayList<>();
            JsonNode list = json == null ? null : json.get(kind.wireName());
            if (list != null && list.isArray()) {
                list.forEach(r -> PushRule.fromJson(r).ifPresent(rules::add));
            }
            byKind.put(kind, rules);
        }
        return of(byKind);
    }
}
