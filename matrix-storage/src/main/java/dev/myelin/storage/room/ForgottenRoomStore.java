package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.FORGOTTEN_ROOMS;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.List;

/**
 * The rooms each user has forgotten: left rooms they no longer want to hear about.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidforget">forget</a>
 */
public final class ForgottenRoomStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ForgottenRoomStore(Database db) {
        this.db = db;
    }

    /**
     * Records that {@code user} forgot {@code room}.
     *
     * @param user the user
     * @param room the room they left
     */
    public void forget(UserId user, RoomId room) {
        db.write(tx -> tx.dsl()
                .insertInto(FORGOTTEN_ROOMS)
                .set(FORGOTTEN_ROOMS.USER_ID, user.toString())
                .set(FORGOTTEN_ROOMS.ROOM_ID, room.value())
                .onConflictDoNothing()
                .execute());
    }

    /** Undoes {@link #forget}, e.g. when the user joins or is invited again. */
    public void unforget(UserId user, RoomId room) {
        db.write(tx -> tx.dsl()
                .deleteFrom(FORGOTTEN_ROOMS)
                .where(FORGOTTEN_ROOMS.USER_ID.eq(user.toString()), FORGOTTEN_ROOMS.ROOM_ID.eq(room.value()))
                .execute());
    }

    /**
     * Whether {@code user} forgot {@code room}.
     *
     * @param user the user
     * @param room the room
     * @return true if forgotten and not rejoined since
     */
    public boolean isForgotten(UserId user, RoomId room) {
        return db.read(tx -> tx.dsl()
                .fetchExists(
                        FORGOTTEN_ROOMS,
                        FORGOTTEN_ROOMS.USER_ID.eq(user.toString()),
                        FORGOTTEN_ROOMS.ROOM_ID.eq(room.value())));
    }

    /** The rooms {@code user} has forgotten, sorted. */
    public List<RoomId> forgotten(UserId user) {
        return db.read(tx -> tx.dsl()
                .select(FORGOTTEN_ROOMS.ROOM_ID)
                .from(FORGOTTEN_ROOMS)
                .where(FORGOTTEN_ROOMS.USER_ID.eq(user.toString()))
                .orderBy(FORGOTTEN_ROOMS.ROOM_ID)
                .fetch(r -> RoomId.parse(r.value1())));
    }
}
