package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.CURRENT_STATE_EVENTS;
import static dev.myelin.storage.schema.Tables.DEVICES;
import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.ROOMS;
import static dev.myelin.storage.schema.Tables.ROOM_STATS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * What server admins see of each room: its record, member counts and the content of the state
 * events that describe it (name, alias, join rules, ...), read for all rooms in a handful of
 * queries, so that listing thousands of rooms costs a few scans rather than queries per room.
 */
public final class RoomSummaryStore {
    /** The state events (with an empty state key) whose content a summary carries. */
    public static final List<String> DESCRIBING_TYPES = List.of(
            "m.room.create",
            "m.room.name",
            "m.room.canonical_alias",
            "m.room.join_rules",
            "m.room.guest_access",
            "m.room.history_visibility",
            "m.room.encryption",
            "m.room.avatar",
            "m.room.topic");

    /**
     * One room as admins see it.
     *
     * @param joinedLocalMembers joined members of {@code server}
     * @param stateEvents how many entries the room's current state has
     * @param state the content of each of {@link #DESCRIBING_TYPES} the room has
     */
    public record RoomSummary(
            RoomId roomId,
            String versionId,
            Optional<String> creator,
            boolean isPublic,
            long joinedMembers,
            long joinedLocalMembers,
            long stateEvents,
            Map<String, ObjectNode> state) {}

    private final Database db;
    private final ServerName server;

    /** A store counting the members of {@code server} as local. */
    public RoomSummaryStore(Database db, ServerName server) {
        this.db = db;
        this.server = server;
    }

    /** Every room this server knows, in no particular order. */
    public List<RoomSummary> all() {
        return db.read(tx -> summaries(tx, DSL.noCondition(), DSL.noCondition()));
    }

    /** One room, if known. */
    public Optional<RoomSummary> get(RoomId room) {
        List<RoomSummary> found = db.read(
                tx -> summaries(tx, ROOMS.ROOM_ID.eq(room.value()), CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value())));
        return found.stream().findFirst();
    }

    /** How many devices the room's joined members of this server have (end-to-end encryption fans out to them). */
    public long joinedLocalDevices(RoomId room) {
        return db.read(tx -> (long) tx.dsl()
                .selectCount()
                .from(CURRENT_STATE_EVENTS)
                .join(DEVICES)
                .on(DEVICES.USER_ID.eq(CURRENT_STATE_EVENTS.STATE_KEY))
                .where(
                        CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()),
                        CURRENT_STATE_EVENTS.EVENT_TYPE.eq("m.room.member"),
                        CURRENT_STATE_EVENTS.MEMBERSHIP.eq("join"))
                .fetchOne(0, Long.class));
    }

    private List<RoomSummary> summaries(Transaction tx, Condition rooms, Condition state) {
        var dsl = tx.dsl();
        Map<String, Long> stateCounts = counts(dsl.select(CURRENT_STATE_EVENTS.ROOM_ID, DSL.count())
                .from(CURRENT_STATE_EVENTS)
                .where(state)
                .groupBy(CURRENT_STATE_EVENTS.ROOM_ID)
                .fetch());
        Map<String, Long> localCounts = counts(dsl.select(CURRENT_STATE_EVENTS.ROOM_ID, DSL.count())
                .from(CURRENT_STATE_EVENTS)
                .where(
                        state,
                        CURRENT_STATE_EVENTS.EVENT_TYPE.eq("m.room.member"),
                        CURRENT_STATE_EVENTS.MEMBERSHIP.eq("join"),
                        CURRENT_STATE_EVENTS.STATE_KEY.endsWith(":" + server))
                .groupBy(CURRENT_STATE_EVENTS.ROOM_ID)
                .fetch());
        Map<String, Map<String, ObjectNode>> contents = new HashMap<>();
        dsl.select(CURRENT_STATE_EVENTS.ROOM_ID, CURRENT_STATE_EVENTS.EVENT_TYPE, EVENTS.JSON)
                .from(CURRENT_STATE_EVENTS)
                .join(EVENTS)
                .on(EVENTS.EVENT_ID.eq(CURRENT_STATE_EVENTS.EVENT_ID))
                .where(
                        state,
                        CURRENT_STATE_EVENTS.STATE_KEY.eq(""),
                        CURRENT_STATE_EVENTS.EVENT_TYPE.in(DESCRIBING_TYPES))
                .fetch()
                .forEach(r -> {
                    JsonNode content = Json.readObject(r.value3()).path("content");
                    if (content instanceof ObjectNode object) {
                        contents.computeIfAbsent(r.value1(), k -> new HashMap<>())
                                .put(r.value2(), object);
                    }
                });
        List<RoomSummary> out = new ArrayList<>();
        dsl.select(ROOMS.ROOM_ID, ROOMS.ROOM_VERSION, ROOMS.CREATOR, ROOMS.IS_PUBLIC, ROOM_STATS.JOINED_MEMBERS)
                .from(ROOMS)
                .leftJoin(ROOM_STATS)
                .on(ROOM_STATS.ROOM_ID.eq(ROOMS.ROOM_ID))
                .where(rooms)
                .fetch()
                .forEach(r -> {
                    RoomId id;
                    try {
                        id = RoomId.parse(r.value1());
                    } catch (RuntimeException e) {
                        return; // a malformed id stored by an old version: not listable
                    }
                    out.add(new RoomSummary(
                            id,
                            r.value2(),
                            Optional.ofNullable(r.value3()),
                            Boolean.TRUE.equals(r.value4()),
                            orZero(r.value5()),
                            localCounts.getOrDefault(r.value1(), 0L),
                            stateCounts.getOrDefault(r.value1(), 0L),
                            Map.copyOf(contents.getOrDefault(r.value1(), Map.of()))));
                });
        return out;
    }

    private static long orZero(@Nullable Long value) {
        return value == null ? 0 : Math.max(0, value);
    }

    private static Map<String, Long> counts(List<? extends Record> rows) {
        Map<String, Long> out = new HashMap<>();
        for (Record r : rows) {
            out.put(r.get(0, String.class), r.get(1, Long.class));
        }
        return out;
    }
}
