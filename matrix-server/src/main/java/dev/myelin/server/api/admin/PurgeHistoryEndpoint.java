package dev.myelin.server.api.admin;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.HistoryPurges;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_synapse/admin/v1/purge_history/{roomId}[/{eventId}]}: starts deleting a room's
 * history before an event (in the path or {@code purge_up_to_event_id}) or a time ({@code
 * purge_up_to_ts}, milliseconds); the events of this server's users stay unless {@code
 * delete_local_events}. Answers the {@code purge_id} that {@code purge_history_status} reports on.
 */
public final class PurgeHistoryEndpoint
        extends JsonEndpoint<PurgeHistoryEndpoint.Request, PurgeHistoryEndpoint.Response> {
    /** The endpoint's definition, with the point in the body. */
    public static final EndpointSpec<Request, Response> SPEC = EndpointSpec.post(
                    "/_synapse/admin/v1/purge_history/{roomId}", Request.class, Response.class)
            .bodyMayBeAbsent();

    /** The endpoint's definition, with the point in the path. */
    public static final EndpointSpec<Request, Response> WITH_EVENT_SPEC = EndpointSpec.post(
                    "/_synapse/admin/v1/purge_history/{roomId}/{eventId}", Request.class, Response.class)
            .bodyMayBeAbsent();

    /** Where to purge up to, and whether local users' events go too (default false). */
    public record Request(
            @Nullable Boolean deleteLocalEvents,
            @Nullable String purgeUpToEventId,
            @Nullable Long purgeUpToTs) {}

    /** The purge's id. */
    public record Response(String purgeId) {}

    private final AdminUsers admins;
    private final HistoryPurges purges;

    public PurgeHistoryEndpoint(EndpointSpec<Request, Response> spec, AdminUsers admins, HistoryPurges purges) {
        super(spec);
        this.admins = admins;
        this.purges = purges;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        admins.requireAdmin(request.requireRequester());
        var room = PathParams.roomId(request);
        Optional<EventId> event = request.pathParams().containsKey("eventId")
                ? Optional.of(PathParams.eventId(request))
                : Optional.ofNullable(body.purgeUpToEventId()).map(PurgeHistoryEndpoint::eventId);
        if (body.purgeUpToTs() != null && body.purgeUpToTs() < 0) {
            throw MatrixException.invalidParam("purge_up_to_ts", "must not be negative");
        }
        OptionalLong ts = body.purgeUpToTs() == null ? OptionalLong.empty() : OptionalLong.of(body.purgeUpToTs());
        return new Response(purges.start(room, event, ts, Boolean.TRUE.equals(body.deleteLocalEvents())));
    }

    private static EventId eventId(String value) {
        try {
            return EventId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("purge_up_to_event_id", "not an event id: " + value);
        }
    }
}
