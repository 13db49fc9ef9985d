package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.typing.TypingHandler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code m.typing} EDUs from other servers: a user of the sending server starts or stops typing in
 * a room they are joined to, whose server ACL lets the sender in. Anything else is dropped. Typing
 * that is not stopped ends after {@link #TIMEOUT}, as servers repeat it while their user types.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#typing-notifications">Typing notifications</a>
 */
public final class InboundTyping implements EduHandler {
    /** How long another server's user types unless told otherwise (Synapse's federation timeout). */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(InboundTyping.class);

    private final TypingHandler typing;
    private final RoomServerAcls acls;

    public InboundTyping(TypingHandler typing, RoomServerAcls acls) {
        this.typing = typing;
        this.acls = acls;
    }

    @Override
    public void handle(ServerName origin, JsonNode content) {
        JsonNode roomId = content.path("room_id");
        JsonNode userId = content.path("user_id");
        JsonNode isTyping = content.path("typing");
        if (!roomId.isTextual() || !userId.isTextual() || !isTyping.isBoolean()) {
            LOG.info("m.typing from {} dropped: malformed", origin);
            return;
        }
        RoomId room;
        UserId user;
        try {
            room = RoomId.parse(roomId.asText());
            user = UserId.parse(userId.asText());
        } catch (IllegalArgumentException e) {
            LOG.info("m.typing from {} dropped: {}", origin, e.getMessage());
            return;
        }
        if (!user.server().equals(origin)) {
            LOG.info("m.typing from {} dropped: {} is not its user", origin, user);
            return;
        }
        if (!acls.allows(room, origin)) {
            LOG.info("m.typing from {} dropped: the server ACL of {} denies it", origin, room);
            return;
        }
        typing.setRemoteTyping(room, user, isTyping.asBoolean(), TIMEOUT);
    }
}
