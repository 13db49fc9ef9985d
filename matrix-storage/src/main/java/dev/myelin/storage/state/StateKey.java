package dev.myelin.storage.state;

import java.util.Objects;

/** The key of a piece of room state: event type and state key ({@code ("m.room.member", "@a:b")}). */
public record StateKey(String type, String stateKey) {
    public StateKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    public static StateKey of(String type, String stateKey) {
        return new StateKey(type, stateKey);
    }

    public static StateKey member(String userId) {
        return new StateKey("m.room.member", userId);
    }
}
