package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.BLOCKED_ROOMS;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * Rooms a server admin blocked: local users may not join them, and this server does not join them
 * over federation. Kept by room id alone, so a room can be blocked before this server knows it.
 */
public final class BlockedRoomStore {
    private final Database db;

    public BlockedRoomStore(Database db) {
        this.db = db;
    }

    /** Blocks {@code room} on behalf of {@code admin}; blocking a blocked room keeps its first blocker. */
    public void block(RoomId room, UserId admin) {
        db.write(tx -> tx.dsl()
                .insertInto(BLOCKED_ROOMS)
                .set(BLOCKED_ROOMS.ROOM_ID, room.value())
                .set(BLOCKED_ROOMS.USER_ID, admin.toString())
                .onConflictDoNothing()
                .execute());
    }

    /** Lifts the block of {@code room}, if any. */
    public void unblock(RoomId room) {
        db.write(tx -> tx.dsl()
                .deleteFrom(BLOCKED_ROOMS)
                .where(BLOCKED_ROOMS.ROOM_ID.eq(room.value()))
                .execute());
    }

    /** The admin who blocked {@code room}, when it is blocked. */
    public Optional<String> blockedBy(RoomId room) {
        return db.read(tx -> tx.dsl()
                .select(BLOCKED_ROOMS.USER_ID)
                .from(BLOCKED_ROOMS)
                .where(BLOCKED_ROOMS.ROOM_ID.eq(room.value()))
                .fetchOptional(BLOCKED_ROOMS.USER_ID));
    }
}
