package dev.myelin.server.api.admin.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminReports;
import dev.myelin.server.handler.admin.AdminUsers;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /_synapse/admin/v1/event_reports}: users' reports of events, for server admins, newest
 * first ({@code dir=f}: oldest first), paged by {@code from} and {@code limit} (default 100), filtered
 * by {@code user_id} (the reporter) and {@code room_id} (parts of the ids).
 */
public final class ListEventReportsEndpoint extends JsonEndpoint<NoBody, ListEventReportsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/event_reports", Response.class);

    /** A page of reports, the total that match, and where the next page starts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(List<AdminReports.Report> eventReports, long total, Long nextToken) {}

    private final AdminUsers admin;
    private final AdminReports reports;

    public ListEventReportsEndpoint(AdminUsers admin, AdminReports reports) {
        super(SPEC);
        this.admin = admin;
        this.reports = reports;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admin.requireAdmin(request.requireRequester());
        long from = positive(request, "from", 0);
        long limit = positive(request, "limit", 100);
        boolean oldestFirst = switch (request.queryParam("dir").orElse("b")) {
            case "b" -> false;
            case "f" -> true;
            default -> throw AdminUsers.invalid("Unknown direction");
        };
        AdminReports.Page page = reports.list(
                from,
                (int) Math.min(Integer.MAX_VALUE, limit),
                oldestFirst,
                request.queryParam("user_id").filter(v -> !v.isEmpty()),
                request.queryParam("room_id").filter(v -> !v.isEmpty()));
        return new Response(page.reports(), page.total(), page.nextToken().orElse(null));
    }

    private static long positive(MatrixRequest request, String name, long otherwise) {
        Optional<String> value = request.queryParam(name);
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            long number = Long.parseLong(value.get());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw AdminUsers.invalid("The " + name + " parameter must be a positive integer.");
    }
}
