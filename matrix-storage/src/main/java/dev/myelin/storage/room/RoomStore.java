package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.ROOMS;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.RoomsRecord;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Rooms: their version, creator and whether they are listed in the public room directory. */
public final class RoomStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RoomStore(Database db) {
        this.db = db;
    }

    /** Records a room; false (changing nothing) if it is already known. */
    public boolean create(RoomId room, RoomVersion version, @Nullable UserId creator, boolean isPublic) {
        return db.write(tx -> tx.dsl()
                        .insertInto(ROOMS)
                        .set(ROOMS.ROOM_ID, room.value())
                        .set(ROOMS.ROOM_VERSION, version.id())
                        .set(ROOMS.CREATOR, creator == null ? null : creator.toString())
                        .set(ROOMS.IS_PUBLIC, isPublic)
                        .onConflictDoNothing()
                        .execute())
                == 1;
    }

    /**
     * A room's record.
     *
     * @param room the room id
     * @return the room, if known
     */
    public Optional<Room> get(RoomId room) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(ROOMS)
                        .where(ROOMS.ROOM_ID.eq(room.value()))
                        .fetchOptional())
                .map(RoomStore::toRoom);
    }

    /** Lists the room in the public directory or removes it; false if the room is unknown. */
    public boolean setPublic(RoomId room, boolean isPublic) {
        return db.write(tx -> tx.dsl()
                        .update(ROOMS)
                        .set(ROOMS.IS_PUBLIC, isPublic)
                        .where(ROOMS.ROOM_ID.eq(room.value()))
                        .execute())
                == 1;
    }

    /** Rooms in the public directory, in room id order. */
    public List<RoomId> publicRooms() {
        return db.read(tx -> tx.dsl()
                .select(ROOMS.ROOM_ID)
                .from(ROOMS)
                .where(ROOMS.IS_PUBLIC.isTrue())
                .orderBy(ROOMS.ROOM_ID)
                .fetch(r -> RoomId.parse(r.value1())));
    }

    private static Room toRoom(RoomsRecord r) {
        return new Room(
                RoomId.parse(r.getRoomId()),
                r.getRoomVersion(),
                Optional.ofNullable(r.getCreator()).map(UserId::parse),
                r.getIsPublic());
    }
}
