package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateStore;
import java.util.Comparator;
import java.util.Optional;

/**
 * Synapse's make room admin API: the joined local user with the highest power level in a room gives
 * another local user that level (as they could themselves), and invites and joins them if they are
 * not in the room, so that a server admin can take over a room whose moderators are gone.
 */
public final class RoomAdminGrant {
    private static final String POWER_LEVELS = "m.room.power_levels";

    private final ServerName serverName;
    private final UserStore users;
    private final StateStore state;
    private final RoomStateReader roomState;
    private final EventCreator events;
    private final MembershipHandler membership;

    public RoomAdminGrant(
            ServerName serverName,
            UserStore users,
            StateStore state,
            RoomStateReader roomState,
            EventCreator events,
            MembershipHandler membership) {
        this.serverName = serverName;
        this.users = users;
        this.state = state;
        this.roomState = roomState;
        this.events = events;
        this.membership = membership;
    }

    /**
     * Makes {@code user} an admin of the room {@code roomIdOrAlias} names.
     *
     * @throws MatrixException 404 for an unknown room, 400 for another server's or an unknown user,
     *     or when no joined local user may change the room's power levels
     */
    public void grant(String roomIdOrAlias, UserId user) {
        RoomId room = membership.resolve(roomIdOrAlias);
        roomState.requireRoom(room);
        if (!user.server().equals(serverName)) {
            throw MatrixException.invalidParam("user_id", "This endpoint can only be used with local users");
        }
        if (users.get(user).isEmpty()) {
            throw MatrixException.invalidParam("user_id", "unknown user " + user);
        }
        PowerLevels levels = roomState.powerLevels(room);
        Optional<UserId> admin = state.joinedMembers(room).stream()
                .filter(u -> u.server().equals(serverName))
                .max(Comparator.comparingLong(levels::userLevel).thenComparing(UserId::toString));
        long needed = levels.eventLevel(POWER_LEVELS, true);
        if (admin.isEmpty() || levels.userLevel(admin.get()) < needed) {
            throw MatrixException.invalidParam(
                    "room_id", "No local admin user in room with power to update power levels.");
        }
        UserId granter = admin.get();
        if (!granter.equals(user)) {
            StoredEvent current = roomState
                    .currentEvent(room, POWER_LEVELS, "")
                    .orElseThrow(() -> MatrixException.invalidParam("room_id", "the room has no power levels"));
            ObjectNode content = current.pdu().content().deepCopy();
            // a creator of a v12 room has unbounded power, which power levels cannot grant
            long granterLevel = levels.userLevel(granter);
            long level = granterLevel == PowerLevels.INFINITE ? Math.max(100, needed) : granterLevel;
            ObjectNode usersLevels =
                    content.path("users") instanceof ObjectNode existing ? existing : content.putObject("users");
            usersLevels.put(user.toString(), level);
            events.create(EventRequest.state(room, granter, POWER_LEVELS, "", content));
        }
        if (!roomState.isJoined(room, user)) {
            String current = roomState.membership(room, user).orElse("");
            String joinRule = roomState
                    .currentEvent(room, "m.room.join_rules", "")
                    .map(e -> e.pdu().content().path("join_rule").asText(""))
                    .orElse("");
            if (!joinRule.equals("public") && !current.equals("invite")) {
                membership.invite(granter, room, user, Optional.empty());
            }
            membership.join(user, room, Optional.empty());
        }
    }
}
