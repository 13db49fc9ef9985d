package dev.myelin.server.handler.report;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.room.ReportStore;
import dev.myelin.storage.room.UserReportStore;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes users' reports of events, rooms and users, stores them for moderators and logs them. A
 * user may only report what they can see: an event they may read (not redacted) in a room they are
 * or were in; anything else is 404, whether it exists or not. Any user may be reported, but a local
 * one must exist.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#reporting-content">Reporting content</a>
 */
public final class ReportHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReportHandler.class);

    private final ReportStore reportStore;
    private final UserReportStore userReports;
    private final RoomReadHandler reads;
    private final ServerName serverName;
    private final UserStore users;
    private final Clock clock;

    public ReportHandler(
            ReportStore reportStore,
            UserReportStore userReports,
            RoomReadHandler reads,
            ServerName serverName,
            UserStore users,
            Clock clock) {
        this.reportStore = reportStore;
        this.userReports = userReports;
        this.reads = reads;
        this.serverName = serverName;
        this.users = users;
        this.clock = clock;
    }

    public void reportEvent(UserId reporter, RoomId room, EventId event, Optional<String> reason, OptionalLong score) {
        reason.ifPresent(ReportHandler::checkReason);
        try {
            if (reads.event(reporter, room, event).redactedBy().isPresent()) {
                throw MatrixException.notFound("Event not found.");
            }
        } catch (MatrixException e) {
            throw e.status() == 403 ? MatrixException.notFound("Event not found.") : e;
        }
        long id = reportStore.add(
                clock.nowMillis(),
                room,
                event,
                reporter,
                reason.orElse(null),
                score.isPresent() ? score.getAsLong() : null);
        LOG.info("report {}: {} reported event {} in {}", id, reporter, event, room);
    }

    public void reportRoom(UserId reporter, RoomId room, String reason) {
        checkReason(reason);
        try {
            reads.access(reporter, room);
        } catch (MatrixException e) {
            throw e.status() == 403 ? MatrixException.notFound("Room not found.") : e;
        }
        long id = reportStore.add(clock.nowMillis(), room, null, reporter, reason, null);
        LOG.info("report {}: {} reported room {}", id, reporter, room);
    }

    public void reportUser(UserId reporter, UserId target, String reason) {
        checkReason(reason);
        if (target.server().equals(serverName) && users.get(target).isEmpty()) {
            throw MatrixException.notFound("The user was not found.");
        }
        long id = userReports.add(clock.nowMillis(), target, reporter, reason);
        LOG.info("user report {}: {} reported {}", id, reporter, target);
    }

    private static void checkReason(String reason) {
        RequestChecks.storableText(reason, "reason");
    }
}
