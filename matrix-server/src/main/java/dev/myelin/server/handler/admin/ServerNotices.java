package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.config.ServerNoticesConfig;
import dev.myelin.server.handler.room.CreateRoomRequest;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.TagStore;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.room.ServerNoticeRoomStore;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Server notices: messages from the server's notices user ({@code server_notices} in the
 * configuration, created when first needed) to one local user, in a private room the notices user
 * makes with them, invites them to and tags {@code m.server_notice} for them, and reuses for later
 * notices (inviting them again if they left it).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-notices">Server notices</a>
 */
public final class ServerNotices {
    /** The tag the spec gives a user's server notices room. */
    public static final String TAG = "m.server_notice";

    private final Optional<ServerNoticesConfig> config;
    private final UserStore users;
    private final ProfileStore profiles;
    private final ServerNoticeRoomStore noticeRooms;
    private final RoomCreator roomCreator;
    private final EventCreator events;
    private final StateStore state;
    private final TagStore tags;
    private final RoomVersion roomVersion;
    private final ServerName serverName;
    /** One notice at a time, so two first notices to a user do not make two rooms. */
    private final ReentrantLock lock = new ReentrantLock();

    public ServerNotices(
            Optional<ServerNoticesConfig> config,
            UserStore users,
            ProfileStore profiles,
            ServerNoticeRoomStore noticeRooms,
            RoomCreator roomCreator,
            EventCreator events,
            StateStore state,
            TagStore tags,
            RoomVersion roomVersion,
            ServerName serverName) {
        this.config = config;
        this.users = users;
        this.profiles = profiles;
        this.noticeRooms = noticeRooms;
        this.roomCreator = roomCreator;
        this.events = events;
        this.state = state;
        this.tags = tags;
        this.roomVersion = roomVersion;
        this.serverName = serverName;
    }

    /** 400 unless server notices are configured. */
    public ServerNoticesConfig requireEnabled() {
        return config.orElseThrow(() -> AdminUsers.invalid("Server notices are not enabled on this server"));
    }

    /**
     * Sends {@code content} as an event of {@code type} (a state event when {@code stateKey} is
     * given) to {@code recipient}'s notices room.
     */
    public EventId send(
            UserId recipient,
            String type,
            Optional<String> stateKey,
            ObjectNode content,
            Optional<ClientTransaction> txn) {
        ServerNoticesConfig settings = requireEnabled();
        UserId sender = new UserId(settings.systemMxidLocalpart(), serverName);
        lock.lock();
        try {
            ensureNoticesUser(sender, settings);
            RoomId room = roomFor(recipient, sender, settings);
            EventRequest request = stateKey.map(key -> EventRequest.state(room, sender, type, key, content))
                    .orElseGet(() -> EventRequest.message(room, sender, type, content));
            return events.create(txn.map(request::inTransaction).orElse(request))
                    .eventId();
        } finally {
            lock.unlock();
        }
    }

    private void ensureNoticesUser(UserId sender, ServerNoticesConfig settings) {
        if (users.get(sender).isPresent()) {
            return;
        }
        users.create(sender, null, false);
        profiles.setDisplayName(sender, settings.systemMxidDisplayName().orElse(sender.localpart()));
        settings.systemMxidAvatarUrl().ifPresent(url -> profiles.setAvatarUrl(sender, url));
    }

    private RoomId roomFor(UserId recipient, UserId sender, ServerNoticesConfig settings) {
        Optional<RoomId> known = noticeRooms
                .get(recipient)
                .filter(room -> state.currentMembership(room, sender)
                        .filter("join"::equals)
                        .isPresent());
        if (known.isPresent()) {
            RoomId room = known.get();
            Optional<String> membership = state.currentMembership(room, recipient);
            if (membership.filter(m -> m.equals("join") || m.equals("invite")).isEmpty()) {
                events.create(EventRequest.state(
                        room,
                        sender,
                        "m.room.member",
                        recipient.toString(),
                        JsonNodeFactory.instance.objectNode().put("membership", Membership.INVITE.value())));
            }
            return room;
        }
        ObjectNode powerLevels = JsonNodeFactory.instance.objectNode();
        // the recipient may read and leave, not write: notices come from the server only
        powerLevels.put("users_default", -10);
        RoomId room = roomCreator.create(new CreateRoomRequest(
                sender,
                roomVersion,
                CreateRoomRequest.Preset.PRIVATE_CHAT,
                false,
                Optional.of(settings.roomName()),
                Optional.empty(),
                Optional.empty(),
                List.of(recipient),
                false,
                List.of(),
                JsonNodeFactory.instance.objectNode(),
                Optional.of(powerLevels)));
        noticeRooms.set(recipient, room);
        tags.addTag(recipient, room, TAG, JsonNodeFactory.instance.objectNode());
        return room;
    }

    /** 404 unless {@code user} is an account of this server. */
    public void requireRecipient(UserId user) {
        if (!user.server().equals(serverName)) {
            throw AdminUsers.invalid("Server notices can only be sent to local users");
        }
        if (users.get(user).isEmpty()) {
            throw MatrixException.notFound("User not found");
        }
    }
}
