package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The part of {@code /sync}'s {@code rooms.invite} and {@code rooms.leave} about rooms this server
 * does not take part in: invites received from other servers, and their rejections. An invite's
 * {@code invite_state} is the stripped state its server sent, then the invite itself; a rejected
 * one is a left room whose timeline is the leave. An initial sync shows every pending invite (and
 * the rejected ones when the filter includes left rooms); an incremental one shows what arrived or
 * was rejected since the token, so each shows once. A room where the user has a membership in the
 * room's own state is left to the rest of {@code /sync}.
 */
public final class RemoteInviteSync {

    private final RemoteInviteStore invites;
    private final EventStore events;
    private final HeldRoomEntries entries;
    private final StateStore state;

    public RemoteInviteSync(RemoteInviteStore invites, EventStore events, ClientEvents clientEvents, StateStore state) {
        this.invites = invites;
        this.events = events;
        this.entries = new HeldRoomEntries(clientEvents);
        this.state = state;
    }

    /**
     * Adds the entries for {@code ctx}'s user to {@code invite} and {@code leave}, leaving out rooms
     * they already hold (the room's own state speaks for those) and invites from {@code ignored}.
     */
    void addTo(SyncContext ctx, ObjectNode invite, ObjectNode leave, Supplier<Set<UserId>> ignored) {
        long to = ctx.now().events();
        List<RemoteInvite> changed = ctx.since().isEmpty()
                ? invites.all(ctx.user())
                : events.ownMembershipMayHaveChanged(
                                ctx.user(), ctx.since().get().events())
                        ? invites.changedBetween(ctx.user(), ctx.since().get().events(), to)
                        : List.of(); // invites and their rejections are member events of the user
        for (RemoteInvite remote : changed) {
            String room = remote.room().value();
            if (!ctx.filter().room().allowsRoom(remote.room())
                    || invite.has(room)
                    || leave.has(room)
                    || hasLocalMembership(ctx.user(), remote)) {
                continue;
            }
            if (remote.pending() || remote.leaveStream().getAsLong() > to) {
                if (remote.inviteStream() > to) {
                    continue;
                }
                events.get(remote.inviteEventId())
                        .filter(e -> !ignored.get().contains(e.pdu().sender()))
                        .ifPresent(e -> invite.set(
                                room, entries.withStrippedState(ctx, "invite_state", remote.inviteState(), e)));
            } else if (ctx.since().isPresent() || ctx.filter().room().includeLeave()) {
                EventId leaveId = remote.leaveEventId().orElseThrow();
                events.get(leaveId).ifPresent(e -> leave.set(room, entries.left(ctx, e)));
            }
        }
    }

    /**
     * Whether the user has a membership in the room's own state that came after the invite (they
     * joined it since, say): the room's state speaks for them then. A membership from before the
     * invite (they left the room, and this server with them, and were invited again) does not: the
     * room's copy here stopped at their leave.
     */
    private boolean hasLocalMembership(UserId user, RemoteInvite remote) {
        return state.currentStateEvent(remote.room(), StateKey.member(user.toString()))
                .flatMap(events::get)
                .filter(member -> member.streamOrdering() > remote.inviteStream())
                .isPresent();
    }
}
