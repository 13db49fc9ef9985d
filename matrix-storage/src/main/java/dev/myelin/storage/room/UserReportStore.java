package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.USER_REPORTS;
import static org.jooq.impl.DSL.max;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.List;

/**
 * Users' reports of other users, kept for the server's moderators.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3usersuseridreport">spec</a>
 */
public final class UserReportStore {
    /** One report of {@code target} by {@code reporter}. */
    public record UserReport(long id, long receivedTs, UserId target, UserId reporter, String reason) {}

    private final Database db;

    public UserReportStore(Database db) {
        this.db = db;
    }

    /** Stores a report and returns its id. */
    public long add(long receivedTs, UserId target, UserId reporter, String reason) {
        return db.write(tx -> {
            Long last = tx.dsl().select(max(USER_REPORTS.ID)).from(USER_REPORTS).fetchOne(0, Long.class);
            long id = last == null ? 1 : last + 1;
            tx.dsl()
                    .insertInto(USER_REPORTS)
                    .set(USER_REPORTS.ID, id)
                    .set(USER_REPORTS.RECEIVED_TS, receivedTs)
                    .set(USER_REPORTS.TARGET_USER_ID, target.toString())
                    .set(USER_REPORTS.USER_ID, reporter.toString())
                    .set(USER_REPORTS.REASON, reason)
                    .execute();
            return id;
        });
    }

    /** The reports of {@code target}, oldest first. */
    public List<UserReport> about(UserId target) {
        return db.read(tx -> tx.dsl()
                .selectFrom(USER_REPORTS)
                .where(USER_REPORTS.TARGET_USER_ID.eq(target.toString()))
                .orderBy(USER_REPORTS.RECEIVED_TS, USER_REPORTS.ID)
                .fetch(r -> new UserReport(
                        r.getId(),
                        r.getReceivedTs(),
                        UserId.parse(r.getTargetUserId()),
                        UserId.parse(r.getUserId()),
                        r.getReason())));
    }
}
