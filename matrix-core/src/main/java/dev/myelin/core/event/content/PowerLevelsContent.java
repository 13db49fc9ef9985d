package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The content of {@code m.room.power_levels}. The maps hold only the values written in the
 * event, so a change rule can tell an added or removed key from a changed one; the accessors
 * ({@link #ban()}, {@link #stateDefault()}, …) apply the spec's defaults.
 *
 * <p>{@link #from} is lenient: values that are not power levels in the room version are dropped,
 * so they read as the default. {@link #validationError} is the strict check the auth rules apply.
 * What counts as a power level depends on the room version: an integer always; before room
 * version 10 also a string holding an integer ({@code " +050 "}, "stringy" levels); before room
 * version 6, which enforces canonical JSON, also a finite float, truncated ("floaty" levels).
 *
 * @param levels the top-level levels present: any of {@link #LEVEL_KEYS}
 * @param events {@code events}: event type to the level needed to send it
 * @param users {@code users}: user to level
 * @param notifications {@code notifications}: notification kind ({@code room}) to level
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroompower_levels">m.room.power_levels</a>
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v9/#mroompower_levels-events-accept-values-as-strings">Stringy power levels</a>
 */
public record PowerLevelsContent(
        Map<String, Long> levels, Map<String, Long> events, Map<UserId, Long> users, Map<String, Long> notifications) {

    /** The top-level integer keys, in the order the auth rules list them. */
    public static final List<String> LEVEL_KEYS =
            List.of("users_default", "events_default", "state_default", "ban", "redact", "kick", "invite");

    /** The content the spec assumes when a key is absent: every accessor returns its default. */
    public static final PowerLevelsContent DEFAULTS = new PowerLevelsContent(Map.of(), Map.of(), Map.of(), Map.of());

    /** Copies the maps, so the value cannot change. */
    public PowerLevelsContent {
        levels = Map.copyOf(levels);
        events = Map.copyOf(events);
        users = Map.copyOf(users);
        notifications = Map.copyOf(notifications);
    }

    /** Reads power levels leniently for a room of {@code version}. */
    public static PowerLevelsContent from(ObjectNode content, RoomVersion version) {
        Map<String, Long> levels = new LinkedHashMap<>();
        for (String key : LEVEL_KEYS) {
            JsonNode node = content.get(key);
            if (node != null) {
                level(node, version).ifPresent(v -> levels.put(key, v));
            }
        }
        Map<UserId, Long> users = new LinkedHashMap<>();
        readMap(content.get("users"), version)
                .forEach((key, value) -> Json.parseUserId(key).ifPresent(user -> users.put(user, value)));
        return new PowerLevelsContent(
                levels, readMap(content.get("events"), version), users, readMap(content.get("notifications"), version));
    }

    /**
     * Reads one power level value as {@code version} allows it, or empty when it is not one.
     * Stringy values are accepted before room version 10, floats before room version 6.
     */
    public static OptionalLong level(@Nullable JsonNode node, RoomVersion version) {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? OptionalLong.of(node.longValue()) : OptionalLong.empty();
        }
        if (node.isTextual() && !version.auth().integerPowerLevels()) {
            return parseStringy(node.textValue());
        }
        if (node.isFloatingPointNumber() && !version.strictCanonicalJson()) {
            double value = node.doubleValue();
            return Double.isFinite(value) ? OptionalLong.of((long) value) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /**
     * Why {@code content} is not acceptable power levels content for {@code version}, or empty
     * when it is. This covers the value checks of the {@code m.room.power_levels} auth rule: from
     * room version 10 every level must be a JSON integer; in every version {@code users} must map
     * valid user ids to levels; before room version 6 a float outside the range of a double is
     * rejected.
     */
    public static Optional<String> validationError(ObjectNode content, RoomVersion version) {
        if (version.auth().integerPowerLevels()) {
            for (String key : LEVEL_KEYS) {
                JsonNode node = content.get(key);
                if (node != null && !isInteger(node)) {
                    return Optional.of("'" + key + "' is not an integer");
                }
            }
            for (String key : List.of("events", "notifications")) {
                JsonNode node = content.get(key);
                if (node != null && !isMapOf(node, version)) {
                    return Optional.of("'" + key + "' is not an object of integers");
                }
            }
        } else if (!version.strictCanonicalJson()) {
            for (String key : LEVEL_KEYS) {
                if (isNonFiniteFloat(content.get(key))) {
                    return Optional.of("'" + key + "' is outside the range of a double");
                }
            }
            for (String key : List.of("events", "notifications")) {
                JsonNode node = content.get(key);
                if (node != null && node.isObject()) {
                    for (JsonNode value : node) {
                        if (isNonFiniteFloat(value)) {
                            return Optional.of("'" + key + "' has a value outside the range of a double");
                        }
                    }
                }
            }
        }
        // An absent 'users' is not an object, but it is also not an invalid mapping: the rule
        // guards the mapping's keys and values, so only a present 'users' is checked.
        JsonNode users = content.get("users");
        if (users != null) {
            if (!isMapOf(users, version)) {
                return Optional.of(
                        version.auth().integerPowerLevels()
                                ? "'users' is not an object of integers"
                                : "'users' is not an object of integers or strings holding integers");
            }
            for (Map.Entry<String, JsonNode> entry : users.properties()) {
                if (Json.parseUserId(entry.getKey()).isEmpty()) {
                    return Optional.of("'users' has a key that is not a user id: " + entry.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The level needed to ban.
     *
     * @return {@code ban}, 50 when absent
     */
    public long ban() {
        return levels.getOrDefault("ban", 50L);
    }

    /**
     * The level needed to kick.
     *
     * @return {@code kick}, 50 when absent
     */
    public long kick() {
        return levels.getOrDefault("kick", 50L);
    }

    /**
     * The level needed to invite.
     *
     * @return {@code invite}, 0 when absent
     */
    public long invite() {
        return levels.getOrDefault("invite", 0L);
    }

    /**
     * The level needed to redact other users' events.
     *
     * @return {@code redact}, 50 when absent
     */
    public long redact() {
        return levels.getOrDefault("redact", 50L);
    }

    /**
     * The level needed for state events not named in {@code events}.
     *
     * @return {@code state_default}, 50 when absent
     */
    public long stateDefault() {
        return levels.getOrDefault("state_default", 50L);
    }

    /**
     * The level needed for message events not named in {@code events}.
     *
     * @return {@code events_default}, 0 when absent
     */
    public long eventsDefault() {
        return levels.getOrDefault("events_default", 0L);
    }

    /**
     * The level of users not named in {@code users}.
     *
     * @return {@code users_default}, 0 when absent
     */
    public long usersDefault() {
        return levels.getOrDefault("users_default", 0L);
    }

    /** The level needed to send an event of {@code type}: {@code events}, else the state or message default. */
    public long eventLevel(String type, boolean state) {
        Long explicit = events.get(type);
        if (explicit != null) {
            return explicit;
        }
        return state ? stateDefault() : eventsDefault();
    }

    /** The level {@code users} gives {@code user}, else {@code users_default}. Creators are not special here. */
    public long userLevel(UserId user) {
        return users.getOrDefault(user, usersDefault());
    }

    /** The level needed to trigger a notification of {@code kind}; {@code room} defaults to 50. */
    public OptionalLong notificationLevel(String kind) {
        Long explicit = notifications.get(kind);
        if (explicit != null) {
            return OptionalLong.of(explicit);
        }
        return "room".equals(kind) ? OptionalLong.of(50) : OptionalLong.empty();
    }

    private static Map<String, Long> readMap(JsonNode node, RoomVersion version) {
        Map<String, Long> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                level(entry.getValue(), version).ifPresent(v -> map.put(entry.getKey(), v));
            }
        }
        return map;
    }

    private static boolean isInteger(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong();
    }

    private static boolean isMapOf(JsonNode node, RoomVersion version) {
        if (!node.isObject()) {
            return false;
        }
        for (JsonNode value : node) {
            if (level(value, version).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNonFiniteFloat(JsonNode node) {
        return node != null && node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue());
    }

    private static OptionalLong parseStringy(String text) {
        String s = text.strip();
        int start = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        if (s.length() == start) {
            return OptionalLong.empty();
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        BigInteger value = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        return value.bitLength() < 64 ? OptionalLong.of(value.longValue()) : OptionalLong.empty();
    }
}
