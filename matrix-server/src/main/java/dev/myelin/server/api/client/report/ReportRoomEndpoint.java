package dev.myelin.server.api.client.report;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.report.ReportHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/report}: {@code reason} is required (it may be
 * empty). 404 for rooms the user is not (and was never) in.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreport">spec</a>
 */
public final class ReportRoomEndpoint implements Endpoint {
    private final ReportHandler reports;

    public ReportRoomEndpoint(ReportHandler reports) {
        this.reports = reports;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/report";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var reporter = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String reason = JsonFields.requireString(request.jsonObject(), "reason");
        reports.reportRoom(reporter, room, reason);
        return MatrixResponse.ok();
    }
}
