package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code m.presence} EDUs from other servers: each entry of {@code push} sets the presence of a
 * user of the sending server who shares a room with this server's users. Entries for other
 * servers' users, with an unknown state or a status message that is not a string of the accepted
 * length are dropped, the rest of the EDU still counts.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#presence">Presence</a>
 */
public final class InboundPresence implements EduHandler {
    /** The most entries of one EDU looked at. */
    static final int MAX_ENTRIES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(InboundPresence.class);

    private final PresenceHandler presence;

    public InboundPresence(PresenceHandler presence) {
        this.presence = presence;
    }

    @Override
    public void handle(ServerName origin, JsonNode content) {
        JsonNode push = content.path("push");
        if (!push.isArray()) {
            LOG.info("m.presence from {} dropped: no push list", origin);
            return;
        }
        int seen = 0;
        for (JsonNode entry : push) {
            if (++seen > MAX_ENTRIES) {
                break;
            }
            receive(origin, entry);
        }
    }

    private void receive(ServerName origin, JsonNode entry) {
        UserId user;
        try {
            user = UserId.parse(entry.path("user_id").asText(""));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!user.server().equals(origin)) {
            LOG.info("m.presence from {} dropped for {}: not its user", origin, user);
            return;
        }
        Optional<PresenceState> state =
                PresenceState.parse(entry.path("presence").asText(""));
        JsonNode statusMsg = entry.path("status_msg");
        boolean badMessage = !statusMsg.isMissingNode()
                && !statusMsg.isNull()
                && (!statusMsg.isTextual() || statusMsg.asText().length() > PresenceHandler.MAX_STATUS_MSG);
        if (state.isEmpty() || badMessage) {
            return;
        }
        long lastActiveAgo = entry.path("last_active_ago").canConvertToLong()
                ? entry.path("last_active_ago").asLong()
                : 0;
        presence.setRemote(
                user,
                state.get(),
                statusMsg.isTextual() ? Optional.of(statusMsg.asText()) : Optional.empty(),
                lastActiveAgo);
    }
}
