package dev.myelin.server.handler.presence;

import java.util.Optional;

/**
 * The three presence states of the spec.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#presence">Presence</a>
 */
public enum PresenceState {
    ONLINE("online"),
    UNAVAILABLE("unavailable"),
    OFFLINE("offline");

    private final String id;

    PresenceState(String id) {
        this.id = id;
    }

    /** The wire value, e.g. {@code "online"}. */
    public String id() {
        return id;
    }

    public static Optional<PresenceState> parse(String id) {
        for (PresenceState state : values()) {
            if (state.id.equals(id)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
