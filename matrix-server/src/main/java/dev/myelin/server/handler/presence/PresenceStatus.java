package dev.myelin.server.handler.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import java.util.Optional;

/**
 * One user's presence as last set.
 *
 * @param lastActiveMillis when the user was last active (set presence or synced), on the clock
 * @param position         the presence stream position of the change that produced this status
 */
public record PresenceStatus(
        UserId user, PresenceState state, Optional<String> statusMsg, long lastActiveMillis, long position) {

    /** A user who never set a presence: offline, never active. */
    static PresenceStatus initial(UserId user) {
        return new PresenceStatus(user, PresenceState.OFFLINE, Optional.empty(), 0, 0);
    }

    /**
     * The content of {@code GET /presence/{userId}/status} and of an {@code m.presence} event:
     * {@code presence}, {@code last_active_ago} (when the user was ever active),
     * {@code currently_active} and {@code status_msg} (when set).
     */
    public PresenceContent toContent(long nowMillis) {
        return new PresenceContent(
                state.id(),
                lastActiveMillis > 0 ? Math.max(0, nowMillis - lastActiveMillis) : null,
                state == PresenceState.ONLINE,
                statusMsg.orElse(null));
    }

    /** {@link #toContent} as the JSON object of an {@code m.presence} event. */
    public ObjectNode content(long nowMillis) {
        return (ObjectNode) EndpointJson.toTree(toContent(nowMillis));
    }
}
