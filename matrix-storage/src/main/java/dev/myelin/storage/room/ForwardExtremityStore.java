package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_FORWARD_EXTREMITIES;
import static dev.myelin.storage.schema.Tables.EVENT_TO_STATE_GROUPS;

import dev.myelin.core.id.RoomId;
import dev.myelin.storage.Database;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A room's forward extremities (the latest events, which the next event cites as its prev_events)
 * as admins inspect and trim them: a room with very many of them makes every new event costly.
 */
public final class ForwardExtremityStore {
    /**
     * One extremity.
     *
     * @param stateGroup the state group after it, if known
     * @param receivedTs when it was sent (its origin_server_ts)
     */
    public record Extremity(String eventId, @Nullable Long stateGroup, long depth, long receivedTs) {}

    private final Database db;

    public ForwardExtremityStore(Database db) {
        this.db = db;
    }

    /** The room's extremities, newest first. */
    public List<Extremity> list(RoomId room) {
        return db.read(tx -> tx.dsl()
                .select(
                        EVENT_FORWARD_EXTREMITIES.EVENT_ID,
                        EVENT_TO_STATE_GROUPS.STATE_GROUP,
                        EVENTS.DEPTH,
                        EVENTS.ORIGIN_SERVER_TS)
                .from(EVENT_FORWARD_EXTREMITIES)
                .leftJoin(EVENTS)
                .on(EVENTS.EVENT_ID.eq(EVENT_FORWARD_EXTREMITIES.EVENT_ID))
                .leftJoin(EVENT_TO_STATE_GROUPS)
                .on(EVENT_TO_STATE_GROUPS.EVENT_ID.eq(EVENT_FORWARD_EXTREMITIES.EVENT_ID))
                .where(EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(room.value()))
                .orderBy(
                        EVENTS.DEPTH.desc().nullsLast(),
                        EVENTS.STREAM_ORDERING.desc().nullsLast())
                .fetch(r -> new Extremity(
                        r.value1(),
                        r.value2(),
                        r.value3() == null ? 0 : r.value3(),
                        r.value4() == null ? 0 : r.value4())));
    }

    /**
     * Keeps only the room's newest extremity (greatest depth, then latest received); returns how many
     * were deleted. The next event then cites just that one.
     */
    public int keepNewest(RoomId room) {
        return db.write(tx -> {
            List<String> ids = tx.dsl()
                    .select(EVENT_FORWARD_EXTREMITIES.EVENT_ID)
                    .from(EVENT_FORWARD_EXTREMITIES)
                    .leftJoin(EVENTS)
                    .on(EVENTS.EVENT_ID.eq(EVENT_FORWARD_EXTREMITIES.EVENT_ID))
                    .where(EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(room.value()))
                    .orderBy(
                            EVENTS.DEPTH.desc().nullsLast(),
                            EVENTS.STREAM_ORDERING.desc().nullsLast())
                    .fetch(EVENT_FORWARD_EXTREMITIES.EVENT_ID);
            if (ids.size() <= 1) {
                return 0;
            }
            return tx.dsl()
                    .deleteFrom(EVENT_FORWARD_EXTREMITIES)
                    .where(
                            EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(room.value()),
                            EVENT_FORWARD_EXTREMITIES.EVENT_ID.in(ids.subList(1, ids.size())))
                    .execute();
        });
    }
}
