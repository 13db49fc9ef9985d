package dev.myelin.core.push;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.myelin.core.id.UserId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server-default push rules of spec v1.19, in the spec's order, and how a user's stored rules
 * are laid over them.
 *
 * <p>Since v1.17 the spec no longer lists the rules that looked for mentions in the message body
 * ({@code .m.rule.contains_display_name}, {@code .m.rule.contains_user_name},
 * {@code .m.rule.roomnotif}); mentions are found through {@code m.mentions} instead, so those
 * rules are not defined here. The {@code contains_display_name} condition itself is still
 * evaluated for user rules that use it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#predefined-rules">Predefined rules</a>
 */
public final class DefaultRules {
    /** The one default rule that outranks user rules: it turns every notification off when enabled. */
    public static final String MASTER = ".m.rule.master";

    private DefaultRules() {}

    /** The default ruleset of {@code user}; some rules name the user's own id. */
    public static Ruleset forUser(UserId user) {
        String me = user.toString();
        List<PushRule> override = List.of(
                rule(MASTER, false, List.of(), List.of()),
                rule(".m.rule.suppress_notices", true, List.of(match("content.msgtype", "m.notice")), List.of()),
                rule(
                        ".m.rule.invite_for_me",
                        true,
                        List.of(
                                match("type", "m.room.member"),
                                match("content.membership", "invite"),
                                match("state_key", me)),
                        List.of(PushAction.NOTIFY, PushAction.sound("default"))),
                rule(".m.rule.member_event", true, List.of(match("type", "m.room.member")), List.of()),
                rule(
                        ".m.rule.is_user_mention",
                        true,
                        List.of(new PushCondition.EventPropertyContains(
                                "content.m\\.mentions.user_ids", TextNode.valueOf(me))),
                        List.of(PushAction.NOTIFY, PushAction.sound("default"), PushAction.highlight())),
                rule(
                        ".m.rule.is_room_mention",
                        true,
                        List.of(
                                new PushCondition.EventPropertyIs("content.m\\.mentions.room", BooleanNode.TRUE),
                                new PushCondition.SenderNotificationPermission("room")),
                        List.of(PushAction.NOTIFY, PushAction.highlight())),
                rule(
                        ".m.rule.tombstone",
                        true,
                        List.of(match("type", "m.room.tombstone"), match("state_key", "")),
                        List.of(PushAction.NOTIFY, PushAction.highlight())),
                rule(".m.rule.reaction", true, List.of(match("type", "m.reaction")), List.of()),
                rule(
                        ".m.rule.room.server_acl",
                        true,
                        List.of(match("type", "m.room.server_acl"), match("state_key", "")),
                        List.of()),
                rule(
                        ".m.rule.suppress_edits",
                        true,
                        List.of(new PushCondition.EventPropertyIs(
                                "content.m\\.relates_to.rel_type", TextNode.valueOf("m.replace"))),
                        List.of()));
        List<PushRule> underride = List.of(
                rule(
                        ".m.rule.call",
                        true,
                        List.of(match("type", "m.call.invite")),
                        List.of(PushAction.NOTIFY, PushAction.sound("ring"))),
                rule(
                        ".m.rule.encrypted_room_one_to_one",
                        true,
                        List.of(memberCount("2"), match("type", "m.room.encrypted")),
                        List.of(PushAction.NOTIFY, PushAction.sound("default"))),
                rule(
                        ".m.rule.room_one_to_one",
                        true,
                        List.of(memberCount("2"), match("type", "m.room.message")),
                        List.of(PushAction.NOTIFY, PushAction.sound("default"))),
                rule(".m.rule.message", true, List.of(match("type", "m.room.message")), List.of(PushAction.NOTIFY)),
                rule(
                        ".m.rule.encrypted",
                        true,
                        List.of(match("type", "m.room.encrypted")),
                        List.of(PushAction.NOTIFY)));
        return new Ruleset(override, List.of(), List.of(), List.of(), underride);
    }

    /**
     * The effective ruleset of {@code user}: the defaults with the stored {@code enabled} and
     * {@code actions} of default rules applied, and the stored user rules placed above the
     * defaults of their kind ({@link #MASTER} stays first). Default rules the stored copy names
     * but this server does not define (e.g. ones a later spec version removed) are dropped;
     * defaults added since the copy was stored appear with their default settings. So storing the
     * whole effective ruleset and reading it back through here is stable across upgrades.
     */
    public static Ruleset merge(UserId user, Ruleset stored) {
        Ruleset defaults = forUser(user);
        Map<PushRuleKind, List<PushRule>> result = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            Map<String, PushRule> storedDefaults = new LinkedHashMap<>();
            List<PushRule> userRules = new ArrayList<>();
            for (PushRule rule : stored.rules(kind)) {
                if (PushRule.isServerDefaultId(rule.ruleId())) {
                    storedDefaults.putIfAbsent(rule.ruleId(), rule);
                } else if (userRules.stream().noneMatch(r -> r.ruleId().equals(rule.ruleId()))) {
                    userRules.add(new PushRule(
                            rule.ruleId(), false, rule.enabled(), rule.conditions(), rule.actions(), rule.pattern()));
                }
            }
            List<PushRule> merged = new ArrayList<>();
            List<PushRule> lowerDefaults = new ArrayList<>();
            for (PushRule rule : defaults.rules(kind)) {
                PushRule effective = Optional.ofNullable(storedDefaults.get(rule.ruleId()))
                        .map(s -> rule.withEnabled(s.enabled()).withActions(s.actions()))
                        .orElse(rule);
                (rule.ruleId().equals(MASTER) ? merged : lowerDefaults).add(effective);
            }
            merged.addAll(userRules);
            merged.addAll(lowerDefaults);
            result.put(kind, merged);
        }
        return Ruleset.of(result);
    }

    private static PushRule rule(String id, boolean enabled, List<PushCondition> conditions, List<PushAction> actions) {
        return new PushRule(id, true, enabled, conditions, actions, Optional.empty());
    }

    private static PushCondition match(String key, String pattern) {
        return new PushCondition.EventMatch(key, pattern);
    }

    private static PushCondition memberCount(String is) {
        return PushCondition.RoomMemberCount.parse(is).orElseThrow();
    }
}
