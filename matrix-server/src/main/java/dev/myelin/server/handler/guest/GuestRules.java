package dev.myelin.server.handler.guest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.event.content.GuestAccess;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.ClientRequestFilter;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteInviteStore;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a guest account may do, decided before the endpoint runs: only the endpoints of {@link
 * GuestEndpoints}, the legacy {@code GET /events} only for one room (room previews), and joins
 * only of rooms whose {@code m.room.guest_access} is {@code can_join}. A room this server is not in
 * is judged by the state its invite carried; one it knows nothing of is closed to guests, as the
 * spec asks servers to be sure before letting a guest in.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#guest-access">Guest access</a>
 */
public final class GuestRules implements ClientRequestFilter {
    static final String GUEST_ACCESS = "m.room.guest_access";

    private final RoomStateReader state;
    private final RemoteInviteStore remoteInvites;
    private final Function<String, RoomId> resolveForJoin;

    /**
     * @param resolveForJoin the room a join's {@code roomIdOrAlias} names (aliases of other
     *     servers asked over federation), throwing a {@link MatrixException} when there is none
     */
    public GuestRules(RoomStateReader state, RemoteInviteStore remoteInvites, Function<String, RoomId> resolveForJoin) {
        this.state = state;
        this.remoteInvites = remoteInvites;
        this.resolveForJoin = resolveForJoin;
    }

    @Override
    public Optional<MatrixResponse> filter(Endpoint endpoint, MatrixRequest request, Requester requester) {
        if (!requester.guest()) {
            return Optional.empty();
        }
        String template = endpoint.path();
        HttpMethod method = endpoint.method();
        if (!GuestEndpoints.allows(method, template)) {
            throw forbidden("Guest access not allowed");
        }
        String path = GuestEndpoints.clientSuffix(template).orElseThrow();
        if (path.equals("/events") && request.queryParam("room_id").isEmpty()) {
            throw forbidden("Guest users must specify room_id param");
        }
        if (path.equals("/rooms/{roomId}/join")) {
            checkMayJoin(requester.userId(), request.pathParam("roomId"));
        } else if (path.equals("/join/{roomIdOrAlias}")) {
            checkMayJoin(requester.userId(), request.pathParam("roomIdOrAlias"));
        }
        return Optional.empty();
    }

    /** Whether guests may join {@code room} as this server knows it. */
    public boolean guestsMayJoin(RoomId room) {
        return state.currentEvent(room, GUEST_ACCESS, "")
                .map(e -> canJoin(e.pdu().content()))
                .orElse(false);
    }

    private void checkMayJoin(UserId guest, String roomIdOrAlias) {
        RoomId room;
        try {
            room = resolveForJoin.apply(roomIdOrAlias);
        } catch (MatrixException unresolved) {
            return; // the join itself answers for an unknown alias or a malformed id
        }
        boolean known = state.currentEvent(room, "m.room.create", "").isPresent();
        boolean allowed = known ? guestsMayJoin(room) : invitedToGuestRoom(guest, room);
        if (!allowed) {
            throw forbidden("Guest access not allowed in this room");
        }
    }

    /** A room this server is not in: open to the guest when its invite's state says guests can join. */
    private boolean invitedToGuestRoom(UserId guest, RoomId room) {
        Optional<RemoteInvite> invite = remoteInvites.get(guest, room).filter(RemoteInvite::pending);
        if (invite.isEmpty()) {
            return false;
        }
        for (JsonNode event : invite.get().inviteState()) {
            if (GUEST_ACCESS.equals(event.path("type").asText())
                    && event.path("state_key").asText("").isEmpty()) {
                return canJoin(event.path("content"));
            }
        }
        return false;
    }

    static boolean canJoin(JsonNode content) {
        return GuestAccess.parse(content.path("guest_access").asText("")) == GuestAccess.CAN_JOIN;
    }

    private static MatrixException forbidden(String message) {
        return new MatrixException(403, ErrorCode.GUEST_ACCESS_FORBIDDEN, message);
    }
}
