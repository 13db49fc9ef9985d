package dev.myelin.server.handler.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.TagStore;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.RoomStore;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a local user's own settings for a room over to the room that replaced it in an upgrade:
 * the room's tags, its place in the user's {@code m.direct} list and the user's push rules for
 * it. The spec asks for this when a user joins the new room; as Synapse does, it is also done at
 * the upgrade for the local users still in the old room. Copying never removes anything from the
 * old room, so doing it twice changes nothing.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-upgrades">Room upgrades</a>
 */
public final class RoomSettingsTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(RoomSettingsTransfer.class);
    private static final String DIRECT = "m.direct";

    private final TagStore tags;
    private final AccountDataStore accountData;
    private final PushRulesHandler pushRules;
    private final Notifier notifier;
    private final RoomAliasStore aliases;
    private final RoomStore rooms;

    public RoomSettingsTransfer(
            TagStore tags,
            AccountDataStore accountData,
            PushRulesHandler pushRules,
            Notifier notifier,
            RoomAliasStore aliases,
            RoomStore rooms) {
        this.tags = tags;
        this.accountData = accountData;
        this.pushRules = pushRules;
        this.notifier = notifier;
        this.aliases = aliases;
        this.rooms = rooms;
    }

    /**
     * Moves this server's own listings of {@code from} to {@code to}, for a room upgraded on another
     * server that a local user joins: this server's aliases of the old room name the new one, and a
     * room listed in this server's directory is replaced there by its successor, as Synapse does. The
     * server that upgraded the room did the same for its own when it upgraded.
     */
    public void moveServerListings(RoomId from, RoomId to) {
        try {
            aliases.moveAll(from, to);
            if (rooms.get(from).filter(Room::isPublic).isPresent()) {
                rooms.setPublic(from, false);
                rooms.setPublic(to, true);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not move this server's listings of {} to {}", from, to, e);
        }
    }

    /** Copies {@code user}'s settings for {@code from} to {@code to}; a failure is logged, not thrown. */
    public void copy(UserId user, RoomId from, RoomId to) {
        try {
            Map<String, ObjectNode> oldTags = tags.tags(user, from);
            Map<String, ObjectNode> newTags = tags.tags(user, to);
            oldTags.forEach((tag, content) -> {
                if (!newTags.containsKey(tag)) {
                    tags.addTag(user, to, tag, content);
                }
            });
            copyDirect(user, from, to);
            pushRules.copyRoomRules(user, from, to);
            notifier.wakeUser(user);
        } catch (RuntimeException e) {
            // the upgrade or join has happened; losing a setting must not undo it
            LOG.warn("could not copy the settings of {} from {} to {}", user, from, to, e);
        }
    }

    /** Lists {@code to} wherever the user's {@code m.direct} lists {@code from}. */
    private void copyDirect(UserId user, RoomId from, RoomId to) {
        Optional<ObjectNode> direct = accountData.getGlobal(user, DIRECT);
        if (direct.isEmpty()) {
            return;
        }
        ObjectNode content = direct.get().deepCopy();
        boolean changed = false;
        for (Map.Entry<String, JsonNode> entry : content.properties()) {
            if (entry.getValue() instanceof ArrayNode rooms
                    && contains(rooms, from.value())
                    && !contains(rooms, to.value())) {
                rooms.add(to.value());
                changed = true;
            }
        }
        if (changed) {
            accountData.putGlobal(user, DIRECT, content);
        }
    }

    private static boolean contains(ArrayNode rooms, String room) {
        for (JsonNode entry : rooms) {
            if (entry.asText("").equals(room)) {
                return true;
            }
        }
        return false;
    }
}
