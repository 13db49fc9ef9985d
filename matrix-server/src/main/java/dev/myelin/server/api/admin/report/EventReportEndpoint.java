package dev.myelin.server.api.admin.report;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.admin.AdminReports;
import dev.myelin.server.handler.admin.AdminUsers;

/**
 * {@code GET} and {@code DELETE /_synapse/admin/v1/event_reports/{reportId}}: one report of an
 * event in detail (with {@code event_json}), or its deletion; 404 {@code M_NOT_FOUND} when there
 * is no such report.
 */
public final class EventReportEndpoint extends SpecEndpoint {
    static final String PATH = "/_synapse/admin/v1/event_reports/{reportId}";
    /** Reads one report. */
    public static final EndpointSpec<?, ?> GET = EndpointSpec.get(PATH, AdminReports.Report.class);
    /** Deletes one report. */
    public static final EndpointSpec<?, ?> DELETE = EndpointSpec.delete(PATH, EmptyResponse.class);

    private final AdminUsers admin;
    private final AdminReports reports;
    private final boolean delete;

    public EventReportEndpoint(AdminUsers admin, AdminReports reports, boolean delete) {
        super(delete ? DELETE : GET);
        this.admin = admin;
        this.reports = reports;
        this.delete = delete;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        admin.requireAdmin(request.requireRequester());
        long id = reportId(request.pathParam("reportId"));
        if (delete) {
            reports.delete(id);
            return MatrixResponse.ok(EndpointJson.toTree(EmptyResponse.INSTANCE));
        }
        return MatrixResponse.ok(EndpointJson.toTree(reports.get(id)));
    }

    private static long reportId(String value) {
        try {
            long id = Long.parseLong(value);
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw AdminUsers.invalid("The report_id parameter must be a string representing a positive integer.");
    }
}
