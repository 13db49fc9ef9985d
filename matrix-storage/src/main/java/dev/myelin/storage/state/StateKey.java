package dev.myelin.storage.state;

import java.util.Objects;

/** The key of a piece of room state: event type and state key ({@code ("m.room.member", "@a:b")}). */
public record StateKey(String type, String stateKey) {
    /** Requires both parts. */
    public StateKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    /**
     * The key of state event {@code type} with {@code stateKey}.
     *
     * @param type the event type
     * @param stateKey the state key
     * @return the key
     */
    public static StateKey of(String type, String stateKey) {
        return new StateKey(type, stateKey);
    }

    /**
     * The key of a user's {@code m.room.member} event.
     *
     * @param userId the user id as a string
     * @return the key
     */
    public static StateKey member(String userId) {
        return new StateKey("m.room.member", userId);
    }
}
