package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.ROOM_ALIASES;

import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.List;
import java.util.Optional;

/** Local room aliases ({@code #name:server} → room id) and who created them. */
public final class RoomAliasStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RoomAliasStore(Database db) {
        this.db = db;
    }

    /** Maps {@code alias} to {@code room}; false (changing nothing) if the alias is taken. */
    public boolean create(RoomAlias alias, RoomId room, UserId creator) {
        return db.write(tx -> tx.dsl()
                        .insertInto(ROOM_ALIASES)
                        .set(ROOM_ALIASES.ROOM_ALIAS, alias.toString())
                        .set(ROOM_ALIASES.ROOM_ID, room.value())
                        .set(ROOM_ALIASES.CREATOR, creator.toString())
                        .onConflictDoNothing()
                        .execute())
                == 1;
    }

    /**
     * The room an alias points at.
     *
     * @param alias the alias
     * @return the room, if the alias exists
     */
    public Optional<RoomId> resolve(RoomAlias alias) {
        return db.read(tx -> tx.dsl()
                        .select(ROOM_ALIASES.ROOM_ID)
                        .from(ROOM_ALIASES)
                        .where(ROOM_ALIASES.ROOM_ALIAS.eq(alias.toString()))
                        .fetchOptional(ROOM_ALIASES.ROOM_ID))
                .map(RoomId::parse);
    }

    /**
     * Who created an alias, which decides who may delete it.
     *
     * @param alias the alias
     * @return the creator, if the alias exists
     */
    public Optional<UserId> creator(RoomAlias alias) {
        return db.read(tx -> tx.dsl()
                        .select(ROOM_ALIASES.CREATOR)
                        .from(ROOM_ALIASES)
                        .where(ROOM_ALIASES.ROOM_ALIAS.eq(alias.toString()))
                        .fetchOptional(ROOM_ALIASES.CREATOR))
                .map(UserId::parse);
    }

    /** The aliases pointing at the room, sorted. */
    public List<RoomAlias> aliasesFor(RoomId room) {
        return db.read(tx -> tx.dsl()
                .select(ROOM_ALIASES.ROOM_ALIAS)
                .from(ROOM_ALIASES)
                .where(ROOM_ALIASES.ROOM_ID.eq(room.value()))
                .orderBy(ROOM_ALIASES.ROOM_ALIAS)
                .fetch(r -> RoomAlias.parse(r.value1())));
    }

    /**
     * Points every alias of {@code from} at {@code to}, as a room upgrade moves them.
     *
     * @param from the room the aliases point at now
     * @param to the room they point at after
     * @return how many aliases moved
     */
    public int moveAll(RoomId from, RoomId to) {
        return db.write(tx -> tx.dsl()
                .update(ROOM_ALIASES)
                .set(ROOM_ALIASES.ROOM_ID, to.value())
                .where(ROOM_ALIASES.ROOM_ID.eq(from.value()))
                .execute());
    }

    /**
     * Deletes an alias.
     *
     * @param alias the alias
     * @return whether it existed
     */
    public boolean delete(RoomAlias alias) {
        return db.write(tx -> tx.dsl()
                        .deleteFrom(ROOM_ALIASES)
                        .where(ROOM_ALIASES.ROOM_ALIAS.eq(alias.toString()))
                        .execute())
                == 1;
    }
}
