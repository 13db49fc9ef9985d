package dev.myelin.core.room;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the redaction algorithm of a room version keeps: the top-level keys, and per event type
 * the content keys. Each room version's rules are derived from the previous version's, so the
 * differences read as in the spec.
 *
 * @param topLevelKeys keys of the event object that survive redaction
 * @param contentKeys per event type, the keys of {@code content} that survive
 * @param keepAllCreateContent true from v11: {@code m.room.create} keeps its whole content
 * @param keepThirdPartyInviteSigned true from v11: {@code m.room.member} keeps
 *     {@code third_party_invite.signed}
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v11/#redactions">Redactions (v11)</a>
 */
public record RedactionRules(
        Set<String> topLevelKeys,
        Map<String, Set<String>> contentKeys,
        boolean keepAllCreateContent,
        boolean keepThirdPartyInviteSigned) {

    /** Copies the key sets, so the rules cannot change. */
    public RedactionRules {
        topLevelKeys = Set.copyOf(topLevelKeys);
        Map<String, Set<String>> copy = new HashMap<>();
        contentKeys.forEach((type, keys) -> copy.put(type, Set.copyOf(keys)));
        contentKeys = Map.copyOf(copy);
    }

    /** The rules of room versions 1 to 5. */
    static final RedactionRules V1 = new RedactionRules(
            Set.of(
                    "event_id",
                    "type",
                    "room_id",
                    "sender",
                    "state_key",
                    "content",
                    "hashes",
                    "signatures",
                    "depth",
                    "prev_events",
                    "prev_state",
                    "auth_events",
                    "origin",
                    "origin_server_ts",
                    "membership"),
            Map.of(
                    "m.room.member", Set.of("membership"),
                    "m.room.create", Set.of("creator"),
                    "m.room.join_rules", Set.of("join_rule"),
                    "m.room.power_levels",
                            Set.of(
                                    "ban",
                                    "events",
                                    "events_default",
                                    "kick",
                                    "redact",
                                    "state_default",
                                    "users",
                                    "users_default"),
                    "m.room.aliases", Set.of("aliases"),
                    "m.room.history_visibility", Set.of("history_visibility")),
            false,
            false);

    /** The content keys kept for {@code eventType}; empty when the type keeps none. */
    public Set<String> contentKeysFor(String eventType) {
        return contentKeys.getOrDefault(eventType, Set.of());
    }

    RedactionRules withoutContentType(String type) {
        Map<String, Set<String>> keys = new HashMap<>(contentKeys);
        keys.remove(type);
        return new RedactionRules(topLevelKeys, keys, keepAllCreateContent, keepThirdPartyInviteSigned);
    }

    RedactionRules withContentKeys(String type, String... added) {
        Map<String, Set<String>> keys = new HashMap<>(contentKeys);
        Set<String> merged = new HashSet<>(keys.getOrDefault(type, Set.of()));
        merged.addAll(Set.of(added));
        keys.put(type, merged);
        return new RedactionRules(topLevelKeys, keys, keepAllCreateContent, keepThirdPartyInviteSigned);
    }

    RedactionRules withoutTopLevelKeys(String... removed) {
        Set<String> keys = new HashSet<>(topLevelKeys);
        keys.removeAll(Set.of(removed));
        return new RedactionRules(keys, contentKeys, keepAllCreateContent, keepThirdPartyInviteSigned);
    }

    RedactionRules withAllCreateContent() {
        return new RedactionRules(topLevelKeys, contentKeys, true, keepThirdPartyInviteSigned);
    }

    RedactionRules withThirdPartyInviteSigned() {
        return new RedactionRules(topLevelKeys, contentKeys, keepAllCreateContent, true);
    }
}
