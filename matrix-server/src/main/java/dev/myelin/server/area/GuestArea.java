package dev.myelin.server.area;

import dev.myelin.server.handler.guest.GuestEvictions;
import dev.myelin.server.handler.guest.GuestRules;
import dev.myelin.storage.room.RemoteInviteStore;

/**
 * Guest accounts' limits: the {@link GuestRules} every guest request passes (installed as a client
 * request filter) and the eviction of guests from rooms that stop admitting them. Guest
 * registration itself is {@code POST /register}'s, in {@link AccountsArea}.
 */
public final class GuestArea {
    private final GuestRules rules;

    private GuestArea(GuestRules rules) {
        this.rules = rules;
    }

    public static GuestArea install(Core core, RoomCore roomCore, RoomsArea rooms) {
        GuestRules rules = new GuestRules(
                roomCore.roomState(),
                new RemoteInviteStore(core.database()),
                roomIdOrAlias ->
                        rooms.membership().resolveForJoin(roomIdOrAlias).room());
        roomCore.eventListeners()
                .add(new GuestEvictions(core.serverName(), roomCore.state(), core.users(), rules, rooms.membership()));
        return new GuestArea(rules);
    }

    /** What guests' requests pass before their endpoints. */
    public GuestRules rules() {
        return rules;
    }
}
