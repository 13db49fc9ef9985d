package dev.myelin.server.api.client.appservice;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.myelin.core.time.Clock;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.appservice.AppServiceClient;
import dev.myelin.server.handler.appservice.AppServices;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v1/appservice/{appserviceId}/ping}: an application service asks the
 * homeserver to call its {@code POST /_matrix/app/v1/ping}, to check that the two reach each other
 * both ways; only the service itself may (its {@code as_token}, else 403 {@code M_FORBIDDEN}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv1appserviceappserviceidping">spec</a>
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#pinging">Pinging</a>
 */
public final class PingEndpoint extends JsonEndpoint<PingEndpoint.Request, PingEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC =
            EndpointSpec.post("/_matrix/client/v1/appservice/{appserviceId}/ping", Request.class, Response.class);

    /** The transaction id the service wants to see in the ping it receives, if any. */
    public record Request(@Nullable String transactionId) {}

    /** How long the service took to answer, as the homeserver measured it. */
    public record Response(long durationMs) {}

    private final AppServices services;
    private final AppServiceClient client;
    private final Clock clock;

    public PingEndpoint(AppServices services, AppServiceClient client, Clock clock) {
        super(SPEC);
        this.services = services;
        this.client = client;
        this.clock = clock;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        String id = request.pathParam("appserviceId");
        AppServiceRegistration service = request.requireRequester()
                .appService()
                .filter(id::equals)
                .flatMap(services::byId)
                .orElseThrow(() -> MatrixException.forbidden("Provided access token is not the appservice's as_token"));
        if (service.url().isEmpty()) {
            throw new MatrixException(
                    400, new ErrorCode("M_URL_NOT_SET"), "Application service doesn't have a URL configured");
        }
        long start = clock.monotonicNanos();
        AppServiceClient.Answer answer;
        try {
            answer = client.ping(service, Optional.ofNullable(body.transactionId()));
        } catch (OutboundHttpException e) {
            if (timedOut(e)) {
                throw new MatrixException(
                        504, new ErrorCode("M_CONNECTION_TIMEOUT"), "Connection to application service timed out");
            }
            throw new MatrixException(
                    502,
                    new ErrorCode("M_CONNECTION_FAILED"),
                    "Connection to application service failed: " + e.getMessage());
        }
        long durationMs = (clock.monotonicNanos() - start) / 1_000_000;
        if (!answer.ok()) {
            Map<String, com.fasterxml.jackson.databind.JsonNode> extra = new HashMap<>();
            extra.put("status", IntNode.valueOf(answer.status()));
            if (answer.body() != null) {
                extra.put("body", TextNode.valueOf(answer.body().toString()));
            }
            throw new MatrixException(
                    502, new ErrorCode("M_BAD_STATUS"), "Ping returned status " + answer.status(), extra, null);
        }
        return new Response(durationMs);
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
