package dev.myelin.server.api.client.report;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.report.ReportHandler;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/report/{eventId}}: {@code reason} (optional) and the
 * {@code score} older clients still send (-100 to 0; spec v1.18 removed it). 404 for events the
 * user cannot see.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreporteventid">spec</a>
 */
public final class ReportEventEndpoint extends JsonEndpoint<ReportEventEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/report/{eventId}", Request.class, EmptyResponse.class)
            .rateLimited("report");

    /**
     * A report of one event.
     *
     * @param reason why the event is reported
     * @param score how offensive the event is, -100 (most) to 0 (least)
     */
    public record Request(@Nullable String reason, @Nullable Long score) {
        /** Checks the range of {@code score}. */
        public Request {
            if (score != null && (score < -100 || score > 0)) {
                throw MatrixException.invalidParam("score", "must be between -100 and 0");
            }
        }
    }

    private final ReportHandler reports;

    public ReportEventEndpoint(ReportHandler reports) {
        super(SPEC);
        this.reports = reports;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var reporter = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        var event = PathParams.eventId(request);
        OptionalLong score = body.score() == null ? OptionalLong.empty() : OptionalLong.of(body.score());
        reports.reportEvent(reporter, room, event, Optional.ofNullable(body.reason()), score);
        return EmptyResponse.INSTANCE;
    }
}
