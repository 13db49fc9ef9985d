package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.EVENT_REPORTS;
import static org.jooq.impl.DSL.max;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Reports of events and rooms by users, kept for the server's moderators.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#reporting-content">Reporting content</a>
 */
public final class ReportStore {
    /** One report; {@code event} is empty for a report of the whole room. */
    public record Report(
            long id,
            long receivedTs,
            RoomId room,
            Optional<EventId> event,
            UserId reporter,
            Optional<String> reason,
            OptionalLong score) {}

    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ReportStore(Database db) {
        this.db = db;
    }

    /**
     * Stores a report and returns its id.
     *
     * @param receivedTs when it arrived, in milliseconds since the epoch
     * @param room       the room reported
     * @param event      the event reported, or null for the room as a whole
     * @param reporter   who reported it
     * @param reason     the reporter's reason, if given
     * @param score      the severity the reporter gave (-100 to 0), if any
     * @return the report's id
     */
    public long add(
            long receivedTs,
            RoomId room,
            @Nullable EventId event,
            UserId reporter,
            @Nullable String reason,
            @Nullable Long score) {
        return db.write(tx -> {
            Long last =
                    tx.dsl().select(max(EVENT_REPORTS.ID)).from(EVENT_REPORTS).fetchOne(0, Long.class);
            long id = last == null ? 1 : last + 1;
            tx.dsl()
                    .insertInto(EVENT_REPORTS)
                    .set(EVENT_REPORTS.ID, id)
                    .set(EVENT_REPORTS.RECEIVED_TS, receivedTs)
                    .set(EVENT_REPORTS.ROOM_ID, room.value())
                    .set(EVENT_REPORTS.EVENT_ID, event == null ? null : event.value())
                    .set(EVENT_REPORTS.USER_ID, reporter.toString())
                    .set(EVENT_REPORTS.REASON, reason)
                    .set(EVENT_REPORTS.SCORE, score)
                    .execute();
            return id;
        });
    }

    /** The reports of a room, oldest first. */
    public List<Report> forRoom(RoomId room) {
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENT_REPORTS)
                .where(EVENT_REPORTS.ROOM_ID.eq(room.value()))
                .orderBy(EVENT_REPORTS.ID)
                .fetch(r -> new Report(
                        r.getId(),
                        r.getReceivedTs(),
                        RoomId.parse(r.getRoomId()),
                        Optional.ofNullable(r.getEventId()).map(EventId::parse),
                        UserId.parse(r.getUserId()),
                        Optional.ofNullable(r.getReason()),
                        r.getScore() == null ? OptionalLong.empty() : OptionalLong.of(r.getScore()))));
    }

    /** A page of reports, newest or oldest first, and how many match in all. */
    public record Page(List<Report> reports, long total) {}

    /**
     * Reports of events (not of whole rooms), newest first unless {@code oldestFirst}, from the {@code from}-th on, at most {@code
     * limit}; only those by {@code reporter} (a part of the user id) and in {@code room} (a part of
     * the room id) when given, as Synapse's admin API filters them.
     */
    public Page list(long from, int limit, boolean oldestFirst, Optional<String> reporter, Optional<String> room) {
        org.jooq.Condition where = EVENT_REPORTS.EVENT_ID.isNotNull();
        if (reporter.isPresent()) {
            where = where.and(EVENT_REPORTS.USER_ID.like("%" + escapeLike(reporter.get()) + "%", '\\'));
        }
        if (room.isPresent()) {
            where = where.and(EVENT_REPORTS.ROOM_ID.like("%" + escapeLike(room.get()) + "%", '\\'));
        }
        org.jooq.Condition condition = where;
        return db.read(tx -> {
            long total = tx.dsl().fetchCount(EVENT_REPORTS, condition);
            List<Report> reports = tx.dsl()
                    .selectFrom(EVENT_REPORTS)
                    .where(condition)
                    .orderBy(oldestFirst ? EVENT_REPORTS.ID.asc() : EVENT_REPORTS.ID.desc())
                    .limit(limit)
                    .offset(from)
                    .fetch(ReportStore::toReport);
            return new Page(reports, total);
        });
    }

    /** One report. */
    public Optional<Report> get(long id) {
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENT_REPORTS)
                .where(EVENT_REPORTS.ID.eq(id))
                .fetchOptional(ReportStore::toReport));
    }

    /** Deletes a report; false if there was none. */
    public boolean delete(long id) {
        return db.write(tx -> tx.dsl()
                        .deleteFrom(EVENT_REPORTS)
                        .where(EVENT_REPORTS.ID.eq(id))
                        .execute())
                == 1;
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Report toReport(dev.myelin.storage.schema.tables.records.EventReportsRecord r) {
        return new Report(
                r.getId(),
                r.getReceivedTs(),
                RoomId.parse(r.getRoomId()),
                Optional.ofNullable(r.getEventId()).map(EventId::parse),
                UserId.parse(r.getUserId()),
                Optional.ofNullable(r.getReason()),
                r.getScore() == null ? OptionalLong.empty() : OptionalLong.of(r.getScore()));
    }
}
