package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.SERVER_NOTICE_ROOMS;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.Optional;

/** The room each user receives server notices in, so later notices reuse it. */
public final class ServerNoticeRoomStore {
    private final Database db;

    public ServerNoticeRoomStore(Database db) {
        this.db = db;
    }

    /** The user's notices room, if one was made. */
    public Optional<RoomId> get(UserId user) {
        return db.read(tx -> tx.dsl()
                .select(SERVER_NOTICE_ROOMS.ROOM_ID)
                .from(SERVER_NOTICE_ROOMS)
                .where(SERVER_NOTICE_ROOMS.USER_ID.eq(user.toString()))
                .fetchOptional(r -> RoomId.parse(r.value1())));
    }

    /** Remembers (or replaces) the user's notices room. */
    public void set(UserId user, RoomId room) {
        db.write(tx -> {
            tx.dsl()
                    .deleteFrom(SERVER_NOTICE_ROOMS)
                    .where(SERVER_NOTICE_ROOMS.USER_ID.eq(user.toString()))
                    .execute();
            return tx.dsl()
                    .insertInto(SERVER_NOTICE_ROOMS)
                    .set(SERVER_NOTICE_ROOMS.USER_ID, user.toString())
                    .set(SERVER_NOTICE_ROOMS.ROOM_ID, room.value())
                    .execute();
        });
    }
}
