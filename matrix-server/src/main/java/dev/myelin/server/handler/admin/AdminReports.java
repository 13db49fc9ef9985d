package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.ReportStore;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Users' reports of events as Synapse's admin API shows them to server admins: each with the
 * room's current name and canonical alias and the reported event's sender, and in detail the
 * event itself.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/admin_api/event_reports.html">Synapse's
 *     event reports API</a>
 */
public final class AdminReports {
    /** The most reports one page lists. */
    public static final int MAX_LIMIT = 1000;

    private final ReportStore reports;
    private final RoomStateReader roomState;
    private final EventStore events;

    public AdminReports(ReportStore reports, RoomStateReader roomState, EventStore events) {
        this.reports = reports;
        this.roomState = roomState;
        this.events = events;
    }

    /** One report; {@code eventJson} only in the detailed view. */
    public record Report(
            long id,
            long receivedTs,
            String roomId,
            @Nullable String name,
            String eventId,
            String userId,
            @Nullable String reason,
            @Nullable Long score,
            @Nullable String sender,
            @Nullable String canonicalAlias,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            ObjectNode eventJson) {}

    /** A page: {@code nextToken} is the {@code from} of the next page, absent on the last. */
    public record Page(List<Report> reports, long total, Optional<Long> nextToken) {}

    /** Reports of events, newest first unless {@code oldestFirst}, filtered by reporter and room (parts of their ids). */
    public Page list(long from, int limit, boolean oldestFirst, Optional<String> reporter, Optional<String> room) {
        ReportStore.Page page = reports.list(from, Math.min(limit, MAX_LIMIT), oldestFirst, reporter, room);
        List<Report> shown = page.reports().stream().map(r -> show(r, false)).toList();
        long next = from + shown.size();
        return new Page(shown, page.total(), next < page.total() ? Optional.of(next) : Optional.empty());
    }

    /** One report in detail; 404 {@code M_NOT_FOUND} when there is no such report of an event. */
    public Report get(long id) {
        return show(find(id), true);
    }

    /** Deletes a report; 404 {@code M_NOT_FOUND} when there is no such report of an event. */
    public void delete(long id) {
        find(id);
        reports.delete(id);
    }

    private ReportStore.Report find(long id) {
        return reports.get(id)
                .filter(r -> r.event().isPresent())
                .orElseThrow(() -> MatrixException.notFound("Event report not found"));
    }

    private Report show(ReportStore.Report report, boolean withEvent) {
        Optional<StoredEvent> event = events.get(report.event().orElseThrow());
        return new Report(
                report.id(),
                report.receivedTs(),
                report.room().value(),
                stateText(report, "m.room.name", "name"),
                report.event().orElseThrow().value(),
                report.reporter().toString(),
                report.reason().orElse(null),
                report.score().isPresent() ? report.score().getAsLong() : null,
                event.map(e -> e.pdu().sender().toString()).orElse(null),
                stateText(report, "m.room.canonical_alias", "alias"),
                withEvent ? event.map(e -> e.pdu().json().deepCopy()).orElse(null) : null);
    }

    private @Nullable String stateText(ReportStore.Report report, String type, String field) {
        return roomState
                .currentEvent(report.room(), type, "")
                .map(e -> e.pdu().content().path(field))
                .filter(v -> v.isTextual())
                .map(v -> v.textValue())
                .orElse(null);
    }
}
