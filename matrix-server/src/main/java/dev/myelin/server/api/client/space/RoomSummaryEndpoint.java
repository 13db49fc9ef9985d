package dev.myelin.server.api.client.space;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.space.RoomSummaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v1/room_summary/{roomIdOrAlias}?via=}: the summary of a room, by id
 * or alias, with the requester's membership ({@code leave} when they have none, as Synapse answers;
 * absent without an access token, as the spec says). The access token is optional: without one
 * only rooms anyone may join, knock on or read are summarised. Also served at MSC3266's unstable
 * paths {@code /_matrix/client/unstable/im.nheko.summary/summary/{roomIdOrAlias}} and
 * {@code .../im.nheko.summary/rooms/{roomIdOrAlias}/summary}, for clients written before the
 * stable path, as Synapse serves them. A malformed id, alias or {@code via} is 400
 * {@code M_INVALID_PARAM}; a room that cannot be found or may not be seen is 404.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1room_summaryroomidoralias">spec</a>
 */
public final class RoomSummaryEndpoint extends JsonEndpoint<NoBody, RoomSummaryEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/client/v1/room_summary/{roomIdOrAlias}", Response.class)
            .optionalAuth();
    /** MSC3266's unstable path, shared with clients. */
    public static final EndpointSpec<NoBody, Response> UNSTABLE = EndpointSpec.get(
                    "/_matrix/client/unstable/im.nheko.summary/summary/{roomIdOrAlias}", Response.class)
            .optionalAuth();
    /** MSC3266's earlier unstable path, shared with clients. */
    public static final EndpointSpec<NoBody, Response> UNSTABLE_ROOMS = EndpointSpec.get(
                    "/_matrix/client/unstable/im.nheko.summary/rooms/{roomIdOrAlias}/summary", Response.class)
            .optionalAuth();

    /** The spec's {@code RoomSummary} with the requester's {@code membership}. */
    public record Response(
            String roomId,
            @Nullable String name,
            @Nullable String topic,
            @Nullable String canonicalAlias,
            long numJoinedMembers,
            @Nullable String avatarUrl,
            String joinRule,
            boolean worldReadable,
            boolean guestCanJoin,
            @Nullable String roomType,
            @Nullable String roomVersion,
            @Nullable String encryption,
            @Nullable List<String> allowedRoomIds,
            @Nullable String membership) {

        static Response of(SpaceRoomSummary room, Optional<String> membership) {
            return new Response(
                    room.roomId(),
                    room.name(),
                    room.topic(),
                    room.canonicalAlias(),
                    room.numJoinedMembers(),
                    room.avatarUrl(),
                    // the spec's default when a room has no join rule
                    room.joinRule() == null ? "public" : room.joinRule(),
                    room.worldReadable(),
                    room.guestCanJoin(),
                    room.roomType(),
                    room.roomVersion(),
                    room.encryption(),
                    room.allowedRoomIds(),
                    membership.orElse(null));
        }
    }

    private final RoomSummaries summaries;

    /** The endpoint at {@code spec}'s path: {@link #SPEC}, {@link #UNSTABLE} or {@link #UNSTABLE_ROOMS}. */
    public RoomSummaryEndpoint(RoomSummaries summaries, EndpointSpec<NoBody, Response> spec) {
        super(spec);
        this.summaries = summaries;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        Optional<UserId> user = request.requester().map(Requester::userId);
        List<ServerName> via = new ArrayList<>();
        for (String server : request.queryParams("via")) {
            if (!ServerName.isValid(server)) {
                throw MatrixException.invalidParam("via", "is not a server name: " + server);
            }
            via.add(ServerName.parse(server));
        }
        RoomSummaries.Summary summary = summaries.summary(user, request.pathParam("roomIdOrAlias"), via);
        // the spec leaves membership out only for unauthenticated calls; Synapse says "leave" for
        // a user with no membership at all
        return Response.of(summary.room(), summary.membership().or(() -> user.map(u -> "leave")));
    }
}
