package dev.myelin.server.api.client.report;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.report.ReportHandler;

/**
 * {@code POST /_matrix/client/v3/users/{userId}/report}: {@code reason} is required (it may be
 * empty). A local user who does not exist is 404; another server's users are taken on trust, since
 * only their server knows them.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3usersuseridreport">spec</a>
 */
public final class ReportUserEndpoint extends JsonEndpoint<ReportUserEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/users/{userId}/report", Request.class, EmptyResponse.class)
            .rateLimited("report");

    /**
     * A report of a user.
     *
     * @param reason why the user is reported; may be empty
     */
    public record Request(String reason) {
        /** Checks that {@code reason} is present. */
        public Request {
            EndpointJson.required(reason, "reason");
        }
    }

    private final ReportHandler reports;

    public ReportUserEndpoint(ReportHandler reports) {
        super(SPEC);
        this.reports = reports;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        reports.reportUser(request.requireRequester().userId(), PathParams.userId(request), body.reason());
        return EmptyResponse.INSTANCE;
    }
}
