package dev.myelin.server.handler.admin;

import dev.myelin.core.id.RoomId;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.room.ForwardExtremityStore;
import java.util.List;

/**
 * A room's forward extremities for server admins (Synapse's forward extremities admin API): a room
 * with many of them (after federation trouble) makes each new event cite them all and each state
 * resolution costly; trimming them to the newest one repairs that.
 */
public final class AdminForwardExtremities {
    private final ForwardExtremityStore extremities;
    private final RoomStateReader roomState;
    private final EventCreator events;

    public AdminForwardExtremities(ForwardExtremityStore extremities, RoomStateReader roomState, EventCreator events) {
        this.extremities = extremities;
        this.roomState = roomState;
        this.events = events;
    }

    /** The extremities of a known room, newest first; 404 for an unknown room. */
    public List<ForwardExtremityStore.Extremity> list(RoomId room) {
        roomState.requireRoom(room);
        return extremities.list(room);
    }

    /** Keeps only the newest extremity of a known room; returns how many were deleted. */
    public int trim(RoomId room) {
        roomState.requireRoom(room);
        // under the room's lock: no event is being built on the extremities meanwhile
        return events.withRoomLocked(room, () -> extremities.keepNewest(room));
    }
}
