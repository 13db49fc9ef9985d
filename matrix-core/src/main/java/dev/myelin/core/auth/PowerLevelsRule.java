package dev.myelin.core.auth;

import static dev.myelin.core.auth.EventAuthorizer.reject;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.PowerLevelsContent;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The {@code m.room.power_levels} rule: valid content, then no change beyond the sender's power. */
final class PowerLevelsRule {
    private static final String RULE = "m.room.power_levels";

    private PowerLevelsRule() {}

    static AuthResult check(Pdu event, AuthState state, PowerLevels current, long senderLevel) {
        RoomVersion version = event.version();
        Optional<String> invalid = PowerLevelsContent.validationError(event.content(), version);
        if (invalid.isPresent()) {
            return reject(RULE, invalid.get());
        }
        PowerLevelsContent next = PowerLevelsContent.from(event.content(), version);
        if (version.auth().creatorsHaveInfinitePower()) {
            for (UserId creator : current.creators()) {
                if (next.users().containsKey(creator)) {
                    return reject(RULE, "users names the room creator " + creator);
                }
            }
        }
        Optional<PowerLevelsContent> previous = current.content();
        if (state.get(StateTuple.POWER_LEVELS).isEmpty() || previous.isEmpty()) {
            return AuthResult.allowed();
        }
        PowerLevelsContent old = previous.get();
        for (String key : PowerLevelsContent.LEVEL_KEYS) {
            Long before = old.levels().get(key);
            Long after = next.levels().get(key);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before != null && before > senderLevel) {
                return reject(
                        RULE,
                        "changing " + key + " from " + before + " needs level " + before + ", the sender has "
                                + senderLevel);
            }
            if (after != null && after > senderLevel) {
                return reject(RULE, "setting " + key + " to " + after + " is above the sender's level " + senderLevel);
            }
        }
        AuthResult events = checkMap("events", old.events(), next.events(), senderLevel);
        if (!events.isAllowed()) {
            return events;
        }
        if (version.auth().notificationsPowerLevels()) {
            AuthResult notifications =
                    checkMap("notifications", old.notifications(), next.notifications(), senderLevel);
            if (!notifications.isAllowed()) {
                return notifications;
            }
        }
        Set<UserId> users = new TreeSet<>(old.users().keySet());
        users.addAll(next.users().keySet());
        for (UserId user : users) {
            Long before = old.users().get(user);
            Long after = next.users().get(user);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before != null && !user.equals(event.sender()) && before >= senderLevel) {
                return reject(
                        RULE,
                        "changing the level of " + user + " from " + before + " needs a level above it, the sender has "
                                + senderLevel);
            }
            if (after != null && after > senderLevel) {
                return reject(
                        RULE,
                        "setting the level of " + user + " to " + after + " is above the sender's level "
                                + senderLevel);
            }
        }
        return AuthResult.allowed();
    }

    private static AuthResult checkMap(String name, Map<String, Long> old, Map<String, Long> next, long senderLevel) {
        Set<String> keys = new TreeSet<>(old.keySet());
        keys.addAll(next.keySet());
        for (String key : keys) {
            Long before = old.get(key);
            Long after = next.get(key);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before != null && before > senderLevel) {
                return reject(
                        RULE,
                        "changing " + name + "." + key + " from " + before + " is above the sender's level "
                                + senderLevel);
            }
            if (after != null && after > senderLevel) {
                return reject(
                        RULE,
                        "setting " + name + "." + key + " to " + after + " is above the sender's level " + senderLevel);
            }
        }
        return AuthResult.allowed();
    }
}
