package dev.myelin.server.area;

import dev.myelin.core.time.Clock;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.report.ReportEventEndpoint;
import dev.myelin.server.api.client.report.ReportRoomEndpoint;
import dev.myelin.server.handler.report.ReportHandler;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.storage.Database;
import dev.myelin.storage.room.ReportStore;

/** Users' reports of events and rooms to the server's moderators. */
public final class ReportsArea {
    private final ReportStore reports;

    private ReportsArea(ReportStore reports) {
        this.reports = reports;
    }

    public static ReportsArea install(Router router, Database database, Clock clock, RoomReadHandler reads) {
        ReportStore reports = new ReportStore(database);
        ReportHandler handler = new ReportHandler(reports, reads, clock);
        router.register(new ReportEventEndpoint(handler));
        router.register(new ReportRoomEndpoint(handler));
        return new ReportsArea(reports);
    }

    public ReportStore store() {
        return reports;
    }
}
