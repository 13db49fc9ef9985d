package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.ROOMS;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.storage.Database;
import dev.myelin.storage.RowCache;
import dev.myelin.storage.schema.tables.records.RoomsRecord;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rooms: their version, creator and whether they are listed in the public room directory.
 *
 * <p>Every event sent or received reads its room, so known rooms are cached under {@link #CACHE}; a change of
 * the directory flag invalidates the room once committed.
 */
public final class RoomStore {
    /** The name the room cache registers under; its keys are room ids. */
    public static final String CACHE = "rooms";

    private final Database db;
    private final RowCache<Room> cache;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RoomStore(Database db) {
        this.db = db;
        this.cache = new RowCache<>(CACHE, db, 100_000);
    }

    /** Records a room; false (changing nothing) if it is already known. */
    public boolean create(RoomId room, RoomVersion version, @Nullable UserId creator, boolean isPublic) {
        return db.write(tx -> invalidating(tx, room)
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
        return Optional.ofNullable(cache.get(
                room.value(),
                id -> db.read(tx -> tx.dsl()
                                .selectFrom(ROOMS)
                                .where(ROOMS.ROOM_ID.eq(id))
                                .fetchOptional())
                        .map(RoomStore::toRoom)
                        .orElse(null)));
    }

    /** Lists the room in the public directory or removes it; false if the room is unknown. */
    public boolean setPublic(RoomId room, boolean isPublic) {
        return db.write(tx -> invalidating(tx, room)
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

    /** Invalidates {@code room}'s cached record once {@code tx} commits; returns its DSL to write with. */
    private org.jooq.DSLContext invalidating(dev.myelin.storage.Transaction tx, RoomId room) {
        cache.invalidateAfterCommit(tx, room.value());
        return tx.dsl();
    }

    private static Room toRoom(RoomsRecord r) {
        return new Room(
                RoomId.parse(r.getRoomId()),
                r.getRoomVersion(),
                Optional.ofNullable(r.getCreator()).map(UserId::parse),
                r.getIsPublic());
    }
}
