package dev.myelin.server.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.push.DefaultRules;
import dev.myelin.core.push.PushRule;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.core.push.Ruleset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-user settings: global and room account data and tags (keeping Synapse's account data stream ids),
 * push rules (Synapse's rows become Myelin's {@code m.push_rules} account data document, the whole
 * effective ruleset) and read receipts.
 */
final class AccountDataImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT_DATA = "user_id, room_id, data_type, content, stream_id";

    private final ImportContext ctx;
    private final Set<String> users;
    private long accountDataPosition;
    private long receiptsPosition;

    AccountDataImport(ImportContext ctx, Set<String> users) {
        this.ctx = ctx;
        this.users = users;
    }

    /** The highest account data stream position written. */
    long accountDataPosition() {
        return accountDataPosition;
    }

    /** The highest receipts stream position written. */
    long receiptsPosition() {
        return receiptsPosition;
    }

    void run() {
        Target t = ctx.target();
        ctx.copy(
                "account_data",
                "SELECT user_id, account_data_type, content, stream_id FROM account_data"
                        + " WHERE account_data_type <> 'm.push_rules'",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("account data of accounts not imported");
                        return;
                    }
                    position(r.getLong(4));
                    t.insert(
                            "account_data",
                            ACCOUNT_DATA,
                            r.getString(1),
                            "",
                            r.getString(2),
                            r.getString(3),
                            r.getLong(4));
                });
        ctx.copy(
                "room_account_data",
                "SELECT user_id, room_id, account_data_type, content, stream_id FROM room_account_data",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("account data of accounts not imported");
                        return;
                    }
                    position(r.getLong(5));
                    t.insert(
                            "account_data",
                            ACCOUNT_DATA,
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getLong(5));
                });
        ctx.source().query("SELECT MAX(stream_id) FROM room_tags_revisions", r -> position(r.getLong(1)));
        ctx.copy("room_tags", "SELECT user_id, room_id, tag, content FROM room_tags", r -> {
            if (!users.contains(r.getString(1))) {
                t.skip("tags of accounts not imported");
                return;
            }
            t.insert(
                    "room_tags",
                    "user_id, room_id, tag, content",
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4));
        });
        pushRules();
        pushers();
        ctx.copy(
                "receipts_linearized",
                "SELECT room_id, receipt_type, user_id, thread_id, event_id, data, stream_id FROM receipts_linearized",
                r -> {
                    receiptsPosition = Math.max(receiptsPosition, r.getLong(7));
                    t.insert(
                            "receipts",
                            "room_id, receipt_type, user_id, thread_id, event_id, data, stream_id",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4) == null ? "" : r.getString(4), // Myelin's "unthreaded"
                            r.getString(5),
                            r.getString(6),
                            r.getLong(7));
                });
    }

    /** HTTP pushers, stored as Myelin keeps them: the description a client set, as {@code GET /pushers} serves it. */
    private void pushers() {
        Target t = ctx.target();
        ctx.copy(
                "pushers",
                "SELECT user_name, app_id, pushkey, kind, device_id, profile_tag, app_display_name,"
                        + " device_display_name, lang, data, ts, enabled FROM pushers",
                r -> {
                    String user = ctx.userId(r.getString(1));
                    if (!users.contains(user)) {
                        t.skip("pushers of accounts not imported");
                        return;
                    }
                    if (r.getObject(12) != null && !r.getBoolean(12)) {
                        t.skip("disabled pushers");
                        return;
                    }
                    ObjectNode json = JSON.createObjectNode();
                    json.put("pushkey", r.getString(3));
                    json.put("kind", r.getString(4));
                    json.put("app_id", r.getString(2));
                    json.put("app_display_name", r.getString(7));
                    json.put("device_display_name", r.getString(8));
                    if (r.getString(6) != null && !r.getString(6).isEmpty()) {
                        json.put("profile_tag", r.getString(6));
                    }
                    json.put("lang", r.getString(9) == null ? "en" : r.getString(9));
                    json.set(
                            "data", r.getString(10) == null ? JSON.createObjectNode() : JSON.readTree(r.getString(10)));
                    t.insert(
                            "pushers",
                            "user_id, app_id, pushkey, kind, device_id, pusher_json, created_ts",
                            user,
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            json.toString(),
                            r.getLong(11));
                });
    }

    private void position(long streamId) {
        accountDataPosition = Math.max(accountDataPosition, streamId);
    }

    /** Synapse's per-user rules and enabled flags, in its order (priority class, then priority, highest first). */
    private void pushRules() {
        Map<String, Map<String, ObjectNode>> byUser = new LinkedHashMap<>();
        ctx.copy(
                "push_rules",
                "SELECT user_name, rule_id, conditions, actions FROM push_rules"
                        + " ORDER BY user_name, priority_class DESC, priority DESC",
                r -> {
                    String user = ctx.userId(r.getString(1));
                    if (!users.contains(user)) {
                        ctx.target().skip("push rules of accounts not imported");
                        return;
                    }
                    ObjectNode rule = JSON.createObjectNode();
                    rule.put("rule_id", r.getString(2));
                    rule.set("conditions", JSON.readTree(r.getString(3)));
                    rule.set("actions", JSON.readTree(r.getString(4)));
                    byUser.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(r.getString(2), rule);
                });
        Map<String, Map<String, Boolean>> enabled = new HashMap<>();
        ctx.copy("push_rules_enable", "SELECT user_name, rule_id, enabled FROM push_rules_enable", r -> {
            String user = ctx.userId(r.getString(1));
            if (!users.contains(user)) {
                ctx.target().skip("push rules of accounts not imported");
                return;
            }
            enabled.computeIfAbsent(user, u -> new HashMap<>()).put(r.getString(2), r.getInt(3) != 0);
            byUser.computeIfAbsent(user, u -> new LinkedHashMap<>());
        });
        for (var entry : byUser.entrySet()) {
            String user = entry.getKey();
            ObjectNode content = JSON.createObjectNode();
            content.set(
                    "global",
                    ruleset(UserId.parse(user), entry.getValue(), enabled.getOrDefault(user, Map.of()))
                            .toJson());
            accountDataPosition++;
            ctx.target()
                    .insert(
                            "account_data",
                            ACCOUNT_DATA,
                            user,
                            "",
                            "m.push_rules",
                            content.toString(),
                            accountDataPosition);
        }
        ctx.target().flush();
    }

    /** The effective ruleset: Myelin's defaults with the user's rules and changes to defaults applied. */
    private static Ruleset ruleset(UserId user, Map<String, ObjectNode> rules, Map<String, Boolean> enabled) {
        Ruleset defaults = DefaultRules.forUser(user);
        Map<PushRuleKind, List<PushRule>> byKind = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            byKind.put(kind, new ArrayList<>());
        }
        Map<String, ObjectNode> all = new LinkedHashMap<>(rules);
        enabled.keySet().forEach(id -> all.putIfAbsent(id, null));
        for (var e : all.entrySet()) {
            String[] parts = e.getKey().split("/", 3); // "global/<kind>/<rule id>"
            if (parts.length != 3 || !parts[0].equals("global")) {
                continue;
            }
            Optional<PushRuleKind> kind = PushRuleKind.parse(parts[1]);
            if (kind.isEmpty()) {
                continue;
            }
            String id = parts[2];
            boolean on = enabled.getOrDefault(e.getKey(), true);
            ObjectNode stored = e.getValue();
            Optional<PushRule> rule;
            if (PushRule.isServerDefaultId(id)) {
                Optional<PushRule> def = defaults.find(kind.get(), id);
                Optional<List<dev.myelin.core.push.PushAction>> actions = Optional.ofNullable(stored)
                        .flatMap(s -> PushRule.fromJson(s.deepCopy().put("rule_id", id)))
                        .map(PushRule::actions);
                rule = def.map(d -> d.withEnabled(on))
                        .map(d -> actions.map(d::withActions).orElse(d));
            } else if (stored != null) {
                ObjectNode json = stored.deepCopy().put("rule_id", id).put("enabled", on);
                if (kind.get() == PushRuleKind.CONTENT) {
                    JsonNode pattern = stored.path("conditions").path(0).path("pattern");
                    if (pattern.isTextual()) {
                        json.put("pattern", pattern.textValue());
                    }
                }
                rule = PushRule.fromJson(json);
            } else {
                rule = Optional.empty();
            }
            rule.ifPresent(byKind.get(kind.get())::add);
        }
        return DefaultRules.merge(user, Ruleset.of(byKind));
    }
}
