package dev.myelin.server.handler.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.push.DefaultRules;
import dev.myelin.core.push.PushAction;
import dev.myelin.core.push.PushCondition;
import dev.myelin.core.push.PushEvaluator;
import dev.myelin.core.push.PushRule;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.core.push.Ruleset;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.AccountDataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A user's push rules: reads the effective ruleset and applies the push rules API's changes.
 *
 * <p>The rules are stored as the user's global {@code m.push_rules} account data, holding the
 * whole effective ruleset ({@code {"global": {...}}}) exactly as {@code GET /pushrules/} serves
 * it. That is the content the spec puts in {@code /sync}'s {@code account_data}, so {@code /sync}
 * picks changes up from the account data stream like any other type. A user who never changed a
 * rule has no stored copy: {@link #accountDataContent} gives the content {@code /sync} should
 * send on an initial sync then. Reading always goes through {@link DefaultRules#merge}, so only
 * the user's rules and the enabled/actions settings of default rules are really taken from the
 * stored copy, and a server upgrade that changes the defaults takes effect without rewriting it.
 *
 * <p>Changes are read-modify-write of one account data entry, serialised per user so two
 * concurrent requests cannot lose each other's change.
 *
 * <p>Every event is evaluated against the rules of each local member it may notify, so rulesets
 * are kept compiled ({@link #evaluator}) by user and by the text of the stored rules, which is
 * still read for every evaluation: a changed rule is a different text, so nothing compiled can
 * outlive a change, and no invalidation is needed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules-api">Push rules API</a>
 */
public final class PushRulesHandler {
    /** The account data type holding the rules. */
    public static final String ACCOUNT_DATA_TYPE = "m.push_rules";

    private final AccountDataStore accountData;
    private final Notifier notifier;
    /** Compiled rulesets kept at most; past it they are all compiled again as needed. */
    private static final int MAX_COMPILED = 50_000;

    private final Linearizer userLock = new Linearizer("push-rules");
    /**
     * Compiled rulesets by user and the stored rules' text: a change of the rules is a new key, so
     * an entry can never be stale and needs no invalidation.
     */
    private final Map<String, PushEvaluator> compiled = new ConcurrentHashMap<>();

    public PushRulesHandler(AccountDataStore accountData, Notifier notifier) {
        this.accountData = accountData;
        this.notifier = notifier;
    }

    /** The user's effective ruleset, compiled for evaluating events. */
    public PushEvaluator evaluator(UserId user) {
        Optional<String> stored = accountData.getGlobalJson(user, ACCOUNT_DATA_TYPE);
        String key = user + "\n" + stored.orElse("");
        PushEvaluator evaluator = compiled.get(key);
        if (evaluator == null) {
            evaluator = PushEvaluator.of(merged(user, stored.map(text -> (ObjectNode) CanonicalJson.parse(text))));
            if (compiled.size() >= MAX_COMPILED) {
                compiled.clear();
            }
            compiled.put(key, evaluator);
        }
        return evaluator;
    }

    /** The user's effective ruleset: defaults, user rules and the user's settings of defaults. */
    public Ruleset rules(UserId user) {
        return merged(user, accountData.getGlobal(user, ACCOUNT_DATA_TYPE));
    }

    private static Ruleset merged(UserId user, Optional<ObjectNode> content) {
        Ruleset stored = content.map(c -> Ruleset.fromJson(c.get("global"))).orElse(Ruleset.EMPTY);
        return DefaultRules.merge(user, stored);
    }

    /** The {@code m.push_rules} account data content for {@code user}: {@code {"global": ruleset}}. */
    public ObjectNode accountDataContent(UserId user) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.set("global", rules(user).toJson());
        return content;
    }

    /** One rule; M_NOT_FOUND when the user has no such rule. */
    public PushRule rule(UserId user, PushRuleKind kind, String ruleId) {
        return rules(user).find(kind, ruleId).orElseThrow(() -> notFound(kind, ruleId));
    }

    /**
     * Creates or replaces a user rule. A new rule goes where {@code before} / {@code after} say
     * ({@code before} wins when both are given), else first among the user's rules of its kind; a
     * replaced rule keeps its place and its enabled flag unless moved.
     */
    public void put(UserId user, PushRuleKind kind, PushRule rule, Optional<String> before, Optional<String> after) {
        validateUserRuleId(kind, rule.ruleId());
        change(user, rules -> {
            List<PushRule> list = new ArrayList<>(rules.rules(kind));
            int existing = indexOf(list, rule.ruleId());
            PushRule stored = rule;
            if (existing >= 0) {
                stored = rule.withEnabled(list.get(existing).enabled());
                list.remove(existing);
            }
            int at;
            if (before.isPresent()) {
                at = anchor(list, before.get());
            } else if (after.isPresent()) {
                at = anchor(list, after.get()) + 1;
            } else if (existing >= 0) {
                at = existing;
            } else {
                // most important user rule: only the master rule stays above user rules
                at = !list.isEmpty() && list.getFirst().ruleId().equals(DefaultRules.MASTER) ? 1 : 0;
            }
            list.add(at, stored);
            return rules.with(kind, list);
        });
    }

    /** Deletes a user rule: M_NOT_FOUND if absent, M_INVALID_PARAM for a server-default rule. */
    public void delete(UserId user, PushRuleKind kind, String ruleId) {
        change(user, rules -> {
            PushRule rule = rules.find(kind, ruleId).orElseThrow(() -> notFound(kind, ruleId));
            if (rule.isDefault()) {
                throw MatrixException.invalidParam("ruleId", "server-default rules cannot be deleted");
            }
            List<PushRule> list = new ArrayList<>(rules.rules(kind));
            list.remove(rule);
            return rules.with(kind, list);
        });
    }

    /** Enables or disables any rule, default rules included. */
    public void setEnabled(UserId user, PushRuleKind kind, String ruleId, boolean enabled) {
        update(user, kind, ruleId, rule -> rule.withEnabled(enabled));
    }

    /** Replaces the actions of any rule, default rules included. */
    public void setActions(UserId user, PushRuleKind kind, String ruleId, List<PushAction> actions) {
        update(user, kind, ruleId, rule -> rule.withActions(actions));
    }

    /**
     * Gives {@code to} a copy of each of the user's enabled rules for the room {@code from}: its
     * room rule, and override and underride rules matching {@code room_id} against it, which then
     * match {@code to} instead. A rule id naming the old room names the new one in the copy (a rule
     * named otherwise is named after the new room, as Synapse names it). Room
     * upgrades use this, so that a room keeps its notification settings when it is replaced; rules
     * the user already has under the new id are left as they are.
     */
    public void copyRoomRules(UserId user, RoomId from, RoomId to) {
        change(user, rules -> {
            Ruleset updated = rules;
            for (PushRuleKind kind : PushRuleKind.values()) {
                List<PushRule> list = new ArrayList<>(updated.rules(kind));
                List<PushRule> copies = new ArrayList<>();
                for (PushRule rule : list) {
                    if (rule.isDefault() || !rule.enabled() || !isForRoom(kind, rule, from)) {
                        continue;
                    }
                    String copyId = rule.ruleId().contains(from.value())
                            ? rule.ruleId().replace(from.value(), to.value())
                            : to.value();
                    if (indexOf(list, copyId) >= 0) {
                        continue;
                    }
                    List<PushCondition> conditions = rule.conditions().stream()
                            .map(c -> c instanceof PushCondition.EventMatch match
                                            && match.key().equals("room_id")
                                            && match.pattern().equals(from.value())
                                    ? new PushCondition.EventMatch("room_id", to.value())
                                    : c)
                            .toList();
                    copies.add(new PushRule(copyId, false, true, conditions, rule.actions(), rule.pattern()));
                }
                if (!copies.isEmpty()) {
                    boolean masterFirst =
                            !list.isEmpty() && list.getFirst().ruleId().equals(DefaultRules.MASTER);
                    list.addAll(masterFirst ? 1 : 0, copies);
                    updated = updated.with(kind, list);
                }
            }
            return updated;
        });
    }

    private static boolean isForRoom(PushRuleKind kind, PushRule rule, RoomId room) {
        if (kind == PushRuleKind.ROOM) {
            return rule.ruleId().equals(room.value());
        }
        return kind.hasConditions()
                && rule.conditions().stream()
                        .anyMatch(c -> c instanceof PushCondition.EventMatch match
                                && match.key().equals("room_id")
                                && match.pattern().equals(room.value()));
    }

    private void update(UserId user, PushRuleKind kind, String ruleId, UnaryOperator<PushRule> change) {
        change(user, rules -> {
            List<PushRule> list = new ArrayList<>(rules.rules(kind));
            int index = indexOf(list, ruleId);
            if (index < 0) {
                throw notFound(kind, ruleId);
            }
            list.set(index, change.apply(list.get(index)));
            return rules.with(kind, list);
        });
    }

    private void change(UserId user, UnaryOperator<Ruleset> change) {
        try (Linearizer.Permit ignored = userLock.acquire(user)) {
            Ruleset updated = change.apply(rules(user));
            ObjectNode content = JsonNodeFactory.instance.objectNode();
            content.set("global", updated.toJson());
            accountData.putGlobal(user, ACCOUNT_DATA_TYPE, content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while changing push rules");
        }
        // account data changed: a waiting /sync should send the new m.push_rules
        notifier.wakeUser(user);
    }

    /**
     * Checks an id a client wants to create: not a server-default id, no slashes (they could not
     * be addressed in a path), and for sender rules a user id. A room rule's id is not held to the
     * room id grammar: clients have long keyed room rules by other names (a room alias), Synapse
     * accepts them, and a rule whose id is no room id simply never matches.
     */
    private static void validateUserRuleId(PushRuleKind kind, String ruleId) {
        if (ruleId.isEmpty() || PushRule.isServerDefaultId(ruleId)) {
            throw MatrixException.invalidParam(
                    "ruleId", "rule ids starting with '.' are reserved for server-default rules");
        }
        if (ruleId.contains("/") || ruleId.contains("\\")) {
            throw MatrixException.invalidParam("ruleId", "rule ids may not contain '/' or '\\'");
        }
        if (kind == PushRuleKind.SENDER && !UserId.isValid(ruleId)) {
            throw MatrixException.invalidParam("ruleId", "the id of a sender rule must be a user id");
        }
    }

    /** The index of the user rule {@code ruleId} to place a rule next to; M_UNKNOWN 400 as the spec shows. */
    private static int anchor(List<PushRule> list, String ruleId) {
        int index = indexOf(list, ruleId);
        if (index < 0 || list.get(index).isDefault()) {
            throw new MatrixException(400, ErrorCode.UNKNOWN, "before/after rule not found: " + ruleId);
        }
        return index;
    }

    private static int indexOf(List<PushRule> list, String ruleId) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).ruleId().equals(ruleId)) {
                return i;
            }
        }
        return -1;
    }

    private static MatrixException notFound(PushRuleKind kind, String ruleId) {
        return MatrixException.notFound("No " + kind.wireName() + " push rule " + ruleId);
    }
}
