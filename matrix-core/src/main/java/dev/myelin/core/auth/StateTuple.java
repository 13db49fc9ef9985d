package dev.myelin.core.auth;

import java.util.Objects;

/**
 * The key of a piece of room state: an event type and a state key.
 *
 * @param type the event type, such as {@code m.room.member}
 * @param stateKey the state key, such as a user id; may be empty
 */
public record StateTuple(String type, String stateKey) {
    public static final StateTuple CREATE = new StateTuple("m.room.create", "");
    public static final StateTuple POWER_LEVELS = new StateTuple("m.room.power_levels", "");
    public static final StateTuple JOIN_RULES = new StateTuple("m.room.join_rules", "");

    /** Requires both parts. */
    public StateTuple {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    /** The key of {@code user}'s {@code m.room.member} event. */
    public static StateTuple member(String user) {
        return new StateTuple("m.room.member", user);
    }

    @Override
    public String toString() {
        return "(" + type + ", '" + stateKey + "')";
    }
}
