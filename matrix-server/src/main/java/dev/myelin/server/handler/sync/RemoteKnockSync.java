package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.room.RemoteKnock;
import dev.myelin.storage.room.RemoteKnockStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.List;

/**
 * The part of {@code /sync}'s {@code rooms.knock} and {@code rooms.leave} about rooms this server
 * does not take part in: knocks made through other servers, and their rescinding. A knock's {@code
 * knock_state} is the stripped state the resident server answered with, then the knock itself; a
 * rescinded one is a left room whose timeline is the leave. An initial sync shows every pending
 * knock (and the rescinded ones when the filter includes left rooms); an incremental one shows what
 * was made or rescinded since the token. A knock answered by an invite (received later) or by a
 * membership in the room's own state (the user joined) is left to those.
 */
public final class RemoteKnockSync {

    private final RemoteKnockStore knocks;
    private final RemoteInviteStore invites;
    private final EventStore events;
    private final HeldRoomEntries entries;
    private final StateStore state;

    public RemoteKnockSync(
            RemoteKnockStore knocks,
            RemoteInviteStore invites,
            EventStore events,
            ClientEvents clientEvents,
            StateStore state) {
        this.knocks = knocks;
        this.invites = invites;
        this.events = events;
        this.entries = new HeldRoomEntries(clientEvents);
        this.state = state;
    }

    /** Adds the entries for {@code ctx}'s user to {@code knock} and {@code leave}, leaving out rooms they already hold. */
    void addTo(SyncContext ctx, ObjectNode knock, ObjectNode invite, ObjectNode leave) {
        long to = ctx.now().events();
        List<RemoteKnock> changed = ctx.since().isEmpty()
                ? knocks.all(ctx.user())
                : events.ownMembershipMayHaveChanged(
                                ctx.user(), ctx.since().get().events())
                        ? knocks.changedBetween(ctx.user(), ctx.since().get().events(), to)
                        : List.of(); // knocks and their rescinding are member events of the user
        for (RemoteKnock remote : changed) {
            String room = remote.room().value();
            if (!ctx.filter().room().allowsRoom(remote.room())
                    || knock.has(room)
                    || invite.has(room)
                    || leave.has(room)
                    || superseded(ctx.user(), remote, to)) {
                continue;
            }
            if (remote.pending() || remote.leaveStream().getAsLong() > to) {
                if (remote.knockStream() > to) {
                    continue;
                }
                events.get(remote.knockEventId())
                        .ifPresent(e ->
                                knock.set(room, entries.withStrippedState(ctx, "knock_state", remote.knockState(), e)));
            } else if (ctx.since().isPresent() || ctx.filter().room().includeLeave()) {
                EventId leaveId = remote.leaveEventId().orElseThrow();
                events.get(leaveId).ifPresent(e -> leave.set(room, entries.left(ctx, e)));
            }
        }
    }

    /**
     * Whether something newer speaks for the room: a membership in the room's own state (the user
     * joined it since), or an invite that arrived after the knock (the knock was accepted).
     */
    private boolean superseded(UserId user, RemoteKnock remote, long to) {
        if (state.currentStateEvent(remote.room(), StateKey.member(user.toString()))
                .isPresent()) {
            return true;
        }
        return invites.get(user, remote.room())
                .filter(i -> i.inviteStream() > remote.knockStream() && i.inviteStream() <= to)
                .isPresent();
    }
}
