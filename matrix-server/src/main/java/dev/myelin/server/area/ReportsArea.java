package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.report.ReportEventEndpoint;
import dev.myelin.server.api.client.report.ReportRoomEndpoint;
import dev.myelin.server.api.client.report.ReportUserEndpoint;
import dev.myelin.server.handler.report.ReportHandler;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.storage.room.ReportStore;
import dev.myelin.storage.room.UserReportStore;

/** Users' reports of events, rooms and other users to the server's moderators. */
public final class ReportsArea {
    private final ReportStore reports;

    private ReportsArea(ReportStore reports) {
        this.reports = reports;
    }

    public static ReportsArea install(Router router, Core core, RoomReadHandler reads) {
        ReportStore reports = new ReportStore(core.database());
        ReportHandler handler = new ReportHandler(
                reports, new UserReportStore(core.database()), reads, core.serverName(), core.users(), core.clock());
        router.register(new ReportEventEndpoint(handler));
        router.register(new ReportRoomEndpoint(handler));
        router.register(new ReportUserEndpoint(handler));
        return new ReportsArea(reports);
    }

    public ReportStore store() {
        return reports;
    }
}
