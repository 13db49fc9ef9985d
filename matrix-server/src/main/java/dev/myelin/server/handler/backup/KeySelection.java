package dev.myelin.server.handler.backup;

import java.util.Optional;

/**
 * Which keys of a backup a {@code /room_keys/keys} request addresses: all of them, one room's, or
 * one session's. A session is always within a room.
 */
public record KeySelection(Optional<String> room, Optional<String> session) {
    public KeySelection {
        if (session.isPresent() && room.isEmpty()) {
            throw new IllegalArgumentException("a session is selected within its room");
        }
    }

    public static KeySelection all() {
        return new KeySelection(Optional.empty(), Optional.empty());
    }

    public static KeySelection room(String room) {
        return new KeySelection(Optional.of(room), Optional.empty());
    }

    public static KeySelection session(String room, String session) {
        return new KeySelection(Optional.of(room), Optional.of(session));
    }
}
