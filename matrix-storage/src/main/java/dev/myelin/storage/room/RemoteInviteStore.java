package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.REMOTE_INVITES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.schema.tables.records.RemoteInvitesRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Invites of local users to rooms this server does not take part in (table {@code
 * remote_invites}): one row per user and room, the latest invite, and the leave that rejected it.
 * The events themselves are outliers in {@code events}.
 */
public final class RemoteInviteStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RemoteInviteStore(Database db) {
        this.db = db;
    }

    /** Records a new pending invite, replacing an earlier invite of the user to the room. */
    public void record(RemoteInvite invite) {
        db.write(tx -> tx.dsl()
                .insertInto(REMOTE_INVITES)
                .set(REMOTE_INVITES.USER_ID, invite.user().toString())
                .set(REMOTE_INVITES.ROOM_ID, invite.room().value())
                .set(REMOTE_INVITES.INVITE_EVENT_ID, invite.inviteEventId().value())
                .set(REMOTE_INVITES.INVITE_STREAM, invite.inviteStream())
                .set(REMOTE_INVITES.ROOM_VERSION, invite.roomVersion())
                .set(REMOTE_INVITES.ORIGIN, invite.origin().toString())
                .set(REMOTE_INVITES.INVITE_STATE, Json.write(invite.inviteState()))
                .setNull(REMOTE_INVITES.LEAVE_EVENT_ID)
                .setNull(REMOTE_INVITES.LEAVE_STREAM)
                .onConflict(REMOTE_INVITES.USER_ID, REMOTE_INVITES.ROOM_ID)
                .doUpdate()
                .set(REMOTE_INVITES.INVITE_EVENT_ID, invite.inviteEventId().value())
                .set(REMOTE_INVITES.INVITE_STREAM, invite.inviteStream())
                .set(REMOTE_INVITES.ROOM_VERSION, invite.roomVersion())
                .set(REMOTE_INVITES.ORIGIN, invite.origin().toString())
                .set(REMOTE_INVITES.INVITE_STATE, Json.write(invite.inviteState()))
                .setNull(REMOTE_INVITES.LEAVE_EVENT_ID)
                .setNull(REMOTE_INVITES.LEAVE_STREAM)
                .execute());
    }

    /** Records that {@code leave} (at events-stream position {@code leaveStream}) rejected the user's invite. */
    public void markRejected(UserId user, RoomId room, EventId leave, long leaveStream) {
        db.write(tx -> tx.dsl()
                .update(REMOTE_INVITES)
                .set(REMOTE_INVITES.LEAVE_EVENT_ID, leave.value())
                .set(REMOTE_INVITES.LEAVE_STREAM, leaveStream)
                .where(REMOTE_INVITES.USER_ID.eq(user.toString()), REMOTE_INVITES.ROOM_ID.eq(room.value()))
                .execute());
    }

    /** The user's latest invite to the room, pending or rejected. */
    public Optional<RemoteInvite> get(UserId user, RoomId room) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(REMOTE_INVITES)
                        .where(REMOTE_INVITES.USER_ID.eq(user.toString()), REMOTE_INVITES.ROOM_ID.eq(room.value()))
                        .fetchOptional())
                .map(RemoteInviteStore::toInvite);
    }

    /** Every invite of the user, pending or rejected, oldest first. */
    public List<RemoteInvite> all(UserId user) {
        return db
                .read(tx -> tx.dsl()
                        .selectFrom(REMOTE_INVITES)
                        .where(REMOTE_INVITES.USER_ID.eq(user.toString()))
                        .orderBy(REMOTE_INVITES.INVITE_STREAM)
                        .fetch())
                .stream()
                .map(RemoteInviteStore::toInvite)
                .toList();
    }

    /**
     * The user's invites that arrived or were rejected after events-stream position {@code from} and
     * at or before {@code to}, oldest first.
     */
    public List<RemoteInvite> changedBetween(UserId user, long from, long to) {
        return db
                .read(tx -> tx.dsl()
                        .selectFrom(REMOTE_INVITES)
                        .where(REMOTE_INVITES.USER_ID.eq(user.toString()))
                        .and(REMOTE_INVITES
                                .INVITE_STREAM
                                .gt(from)
                                .and(REMOTE_INVITES.INVITE_STREAM.le(to))
                                .or(REMOTE_INVITES.LEAVE_STREAM.gt(from).and(REMOTE_INVITES.LEAVE_STREAM.le(to))))
                        .orderBy(REMOTE_INVITES.INVITE_STREAM)
                        .fetch())
                .stream()
                .map(RemoteInviteStore::toInvite)
                .toList();
    }

    private static RemoteInvite toInvite(RemoteInvitesRecord r) {
        JsonNode state = Json.readNode(r.getInviteState());
        return new RemoteInvite(
                UserId.parse(r.getUserId()),
                RoomId.parse(r.getRoomId()),
                new EventId(r.getInviteEventId()),
                r.getInviteStream(),
                r.getRoomVersion(),
                ServerName.parse(r.getOrigin()),
                state instanceof ArrayNode array ? array : JsonNodeFactory.instance.arrayNode(),
                Optional.ofNullable(r.getLeaveEventId()).map(EventId::new),
                r.getLeaveStream() == null ? OptionalLong.empty() : OptionalLong.of(r.getLeaveStream()));
    }
}
