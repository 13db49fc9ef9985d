package dev.myelin.server.handler.guest;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.NewEventListener;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this server's guests leave a room whose {@code m.room.guest_access} stops being {@code
 * can_join}, whether a local user or another server's changed it, as the spec requires ("the
 * server MUST set those users' m.room.member state to leave"). Each guest leaves by their own
 * membership event, as Synapse does, on a virtual thread of its own: the listener is told while
 * the room's event that revoked access is still being announced.
 */
public final class GuestEvictions implements NewEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuestEvictions.class);

    private final ServerName serverName;
    private final StateStore state;
    private final UserStore users;
    private final GuestRules rules;
    private final MembershipHandler membership;

    public GuestEvictions(
            ServerName serverName, StateStore state, UserStore users, GuestRules rules, MembershipHandler membership) {
        this.serverName = serverName;
        this.state = state;
        this.users = users;
        this.rules = rules;
        this.membership = membership;
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        if (!GuestRules.GUEST_ACCESS.equals(event.type())
                || !event.stateKey().filter(String::isEmpty).isPresent()
                || GuestRules.canJoin(event.content())) {
            return;
        }
        RoomId room = event.roomId();
        Thread.ofVirtual().name("guest-evictions-" + room).start(() -> evictGuests(room));
    }

    private void evictGuests(RoomId room) {
        if (rules.guestsMayJoin(room)) {
            return; // opened again meanwhile
        }
        List<UserId> guests = state.joinedMembers(room).stream()
                .filter(user -> user.server().equals(serverName))
                .filter(user -> users.get(user).map(UserAccount::guest).orElse(false))
                .toList();
        for (UserId guest : guests) {
            try {
                membership.leave(guest, room, Optional.empty());
            } catch (RuntimeException e) {
                LOG.warn("could not remove guest {} from {} after guest access was revoked", guest, room, e);
            }
        }
    }
}
