package dev.myelin.server.api.client.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.report.ReportHandler;
import java.util.OptionalLong;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/report/{eventId}}: {@code reason} (optional) and the
 * {@code score} older clients still send (-100 to 0; spec v1.18 removed it). 404 for events the
 * user cannot see.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreporteventid">spec</a>
 */
public final class ReportEventEndpoint implements Endpoint {
    private final ReportHandler reports;

    public ReportEventEndpoint(ReportHandler reports) {
        this.reports = reports;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/report/{eventId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var reporter = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        var event = PathParams.eventId(request);
        ObjectNode body = request.jsonObject();
        var reason = JsonFields.optionalString(body, "reason");
        OptionalLong score = JsonFields.optionalLong(body, "score").map(s -> {
            if (s < -100 || s > 0) {
                throw MatrixException.invalidParam("score", "must be between -100 and 0");
            }
            return OptionalLong.of(s);
        }).orElse(OptionalLong.empty());
        reports.reportEvent(reporter, room, event, reason, score);
        return MatrixResponse.ok();
    }
}
