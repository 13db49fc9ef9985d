package dev.myelin.server.api.client.report;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.report.ReportHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/report}: {@code reason} is required (it may be
 * empty). 404 for rooms the user is not (and was never) in.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreport">spec</a>
 */
public final class ReportRoomEndpoint extends JsonEndpoint<ReportRoomEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/report", Request.class, EmptyResponse.class)
            .rateLimited("report");

    /**
     * A report of a room.
     *
     * @param reason why the room is reported; may be empty
     */
    public record Request(String reason) {
        /** Checks that {@code reason} is present. */
        public Request {
            EndpointJson.required(reason, "reason");
        }
    }

    private final ReportHandler reports;

    public ReportRoomEndpoint(ReportHandler reports) {
        super(SPEC);
        this.reports = reports;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var reporter = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        reports.reportRoom(reporter, room, body.reason());
        return EmptyResponse.INSTANCE;
    }
}
