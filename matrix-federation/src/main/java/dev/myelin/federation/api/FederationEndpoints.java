package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;

/**
 * The definitions of the server-server endpoints this module calls, shared with the server that
 * serves them (matrix-server's endpoint classes take their {@code SPEC} from here), so a path,
 * method or body type cannot differ between the two sides.
 */
public final class FederationEndpoints {
    /**
     * {@code GET /_matrix/key/v2/server}: a server's own signed keys. Kept as raw JSON: its
     * signature covers the object exactly as sent.
     */
    public static final EndpointSpec<NoBody, ObjectNode> SERVER_KEYS =
            EndpointSpec.get("/_matrix/key/v2/server", ObjectNode.class).noAuth();

    /**
     * {@code POST /_matrix/key/v2/query}: other servers' keys through a notary, body {@code
     * {"server_keys": {server: {key_id: {"minimum_valid_until_ts": ts}}}}}.
     */
    public static final EndpointSpec<ObjectNode, KeyQueryResponse> KEY_QUERY = EndpointSpec.post(
                    "/_matrix/key/v2/query", ObjectNode.class, KeyQueryResponse.class)
            .noAuth();

    /**
     * {@code GET /_matrix/federation/v1/media/download/{mediaId}?timeout_ms=}: a local media item of
     * the answering server, as {@code multipart/mixed}: a JSON metadata part, then the bytes (or a
     * {@code Location} to fetch them from). The answer is not JSON.
     */
    public static final EndpointSpec<NoBody, NoBody> MEDIA_DOWNLOAD = EndpointSpec.get(
                    "/_matrix/federation/v1/media/download/{mediaId}", NoBody.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/media/thumbnail/{mediaId}?width&height&method&animated&timeout_ms}:
     * a thumbnail of a local media item of the answering server, as {@link #MEDIA_DOWNLOAD} answers.
     */
    public static final EndpointSpec<NoBody, NoBody> MEDIA_THUMBNAIL = EndpointSpec.get(
                    "/_matrix/federation/v1/media/thumbnail/{mediaId}", NoBody.class)
            .serverAuth();

    /** {@code PUT /_matrix/federation/v1/send/{txnId}}: a transaction of PDUs and EDUs, signed. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SEND_TRANSACTION = EndpointSpec.put(
                    "/_matrix/federation/v1/send/{txnId}", ObjectNode.class, ObjectNode.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/make_join/{roomId}/{userId}?ver=...}: a join event template
     * from a server in the room; {@code ver} (repeated) names the room versions the asker supports.
     */
    public static final EndpointSpec<NoBody, MakeJoinResponse> MAKE_JOIN = EndpointSpec.get(
                    "/_matrix/federation/v1/make_join/{roomId}/{userId}", MakeJoinResponse.class)
            .serverAuth();

    /** {@code PUT /_matrix/federation/v2/send_join/{roomId}/{eventId}}: the signed join event. */
    public static final EndpointSpec<ObjectNode, SendJoinResponse> SEND_JOIN = EndpointSpec.put(
                    "/_matrix/federation/v2/send_join/{roomId}/{eventId}", ObjectNode.class, SendJoinResponse.class)
            .serverAuth();

    /**
     * {@code PUT /_matrix/federation/v1/exchange_third_party_invite/{roomId}}: asks the inviter's
     * server to turn a bound third-party invite into an {@code m.room.member} invite; the body is
     * the event without its hashes and signatures, answer {@code {}}.
     */
    public static final EndpointSpec<ObjectNode, ObjectNode> EXCHANGE_THIRD_PARTY_INVITE = EndpointSpec.put(
                    "/_matrix/federation/v1/exchange_third_party_invite/{roomId}", ObjectNode.class, ObjectNode.class)
            .serverAuth();

    /**
     * {@code PUT /_matrix/federation/v2/invite/{roomId}/{eventId}}: asks the invitee's server to
     * sign an invite; body {@code {"event", "room_version", "invite_room_state"}}, answer {@code
     * {"event"}} with its signature added.
     */
    public static final EndpointSpec<ObjectNode, ObjectNode> INVITE_V2 = EndpointSpec.put(
                    "/_matrix/federation/v2/invite/{roomId}/{eventId}", ObjectNode.class, ObjectNode.class)
            .serverAuth();

    /**
     * {@code PUT /_matrix/federation/v1/invite/{roomId}/{eventId}}: the older form of {@link
     * #INVITE_V2}, for room versions 1 and 2: the body is the event (the stripped state in its
     * {@code unsigned.invite_room_state}), the answer {@code [200, {"event"}]}.
     */
    public static final EndpointSpec<ObjectNode, JsonNode> INVITE_V1 = EndpointSpec.put(
                    "/_matrix/federation/v1/invite/{roomId}/{eventId}", ObjectNode.class, JsonNode.class)
            .serverAuth();

    /** {@code GET /_matrix/federation/v1/make_leave/{roomId}/{userId}}: a leave event template. */
    public static final EndpointSpec<NoBody, MakeJoinResponse> MAKE_LEAVE = EndpointSpec.get(
                    "/_matrix/federation/v1/make_leave/{roomId}/{userId}", MakeJoinResponse.class)
            .serverAuth();

    /** {@code PUT /_matrix/federation/v2/send_leave/{roomId}/{eventId}}: the signed leave event; answers {@code {}}. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SEND_LEAVE = EndpointSpec.put(
                    "/_matrix/federation/v2/send_leave/{roomId}/{eventId}", ObjectNode.class, ObjectNode.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/make_knock/{roomId}/{userId}?ver=...}: a knock event
     * template from a server in the room; {@code ver} (repeated) names the room versions the asker
     * supports.
     */
    public static final EndpointSpec<NoBody, MakeJoinResponse> MAKE_KNOCK = EndpointSpec.get(
                    "/_matrix/federation/v1/make_knock/{roomId}/{userId}", MakeJoinResponse.class)
            .serverAuth();

    /**
     * {@code PUT /_matrix/federation/v1/send_knock/{roomId}/{eventId}}: the signed knock event;
     * answers with the room's stripped state.
     */
    public static final EndpointSpec<ObjectNode, SendKnockResponse> SEND_KNOCK = EndpointSpec.put(
                    "/_matrix/federation/v1/send_knock/{roomId}/{eventId}", ObjectNode.class, SendKnockResponse.class)
            .serverAuth();

    /**
     * {@code PUT /_matrix/federation/v1/send_join/{roomId}/{eventId}}: the v1 form, answering
     * {@code [200, {...}]} (the extra wrapper the v2 form dropped); still sent by older servers.
     */
    public static final EndpointSpec<ObjectNode, ArrayNode> SEND_JOIN_V1 = EndpointSpec.put(
                    "/_matrix/federation/v1/send_join/{roomId}/{eventId}", ObjectNode.class, ArrayNode.class)
            .serverAuth();

    /** {@code PUT /_matrix/federation/v1/send_leave/{roomId}/{eventId}}: the v1 form, answering {@code [200, {}]}. */
    public static final EndpointSpec<ObjectNode, ArrayNode> SEND_LEAVE_V1 = EndpointSpec.put(
                    "/_matrix/federation/v1/send_leave/{roomId}/{eventId}", ObjectNode.class, ArrayNode.class)
            .serverAuth();

    /** {@code GET /_matrix/federation/v1/event/{eventId}}: one event, as a transaction of one PDU. */
    public static final EndpointSpec<NoBody, PduTransaction> EVENT = EndpointSpec.get(
                    "/_matrix/federation/v1/event/{eventId}", PduTransaction.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/state/{roomId}?event_id=}: the room's state before an event,
     * with its auth chain.
     */
    public static final EndpointSpec<NoBody, RoomStateResponse> ROOM_STATE = EndpointSpec.get(
                    "/_matrix/federation/v1/state/{roomId}", RoomStateResponse.class)
            .serverAuth();

    /** {@code GET /_matrix/federation/v1/state_ids/{roomId}?event_id=}: {@link #ROOM_STATE} as ids. */
    public static final EndpointSpec<NoBody, RoomStateIdsResponse> ROOM_STATE_IDS = EndpointSpec.get(
                    "/_matrix/federation/v1/state_ids/{roomId}", RoomStateIdsResponse.class)
            .serverAuth();

    /** {@code GET /_matrix/federation/v1/event_auth/{roomId}/{eventId}}: an event's auth chain. */
    public static final EndpointSpec<NoBody, EventAuthResponse> EVENT_AUTH = EndpointSpec.get(
                    "/_matrix/federation/v1/event_auth/{roomId}/{eventId}", EventAuthResponse.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/backfill/{roomId}?v=…&limit=}: the given events and those
     * before them; {@code v} may be repeated.
     */
    public static final EndpointSpec<NoBody, PduTransaction> BACKFILL = EndpointSpec.get(
                    "/_matrix/federation/v1/backfill/{roomId}", PduTransaction.class)
            .serverAuth();

    /** {@code POST /_matrix/federation/v1/get_missing_events/{roomId}}: events between two sets. */
    public static final EndpointSpec<MissingEventsRequest, MissingEventsResponse> GET_MISSING_EVENTS =
            EndpointSpec.post(
                            "/_matrix/federation/v1/get_missing_events/{roomId}",
                            MissingEventsRequest.class,
                            MissingEventsResponse.class)
                    .serverAuth();

    /** {@code GET /_matrix/federation/v1/timestamp_to_event/{roomId}?ts=&dir=}: the event nearest a time. */
    public static final EndpointSpec<NoBody, TimestampToEventResponse> TIMESTAMP_TO_EVENT = EndpointSpec.get(
                    "/_matrix/federation/v1/timestamp_to_event/{roomId}", TimestampToEventResponse.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/publicRooms}: the server's published room directory
     * ({@code limit}, {@code since}, {@code include_all_networks}, {@code third_party_instance_id}).
     */
    public static final EndpointSpec<NoBody, PublicRoomsResponse> PUBLIC_ROOMS = EndpointSpec.get(
                    "/_matrix/federation/v1/publicRooms", PublicRoomsResponse.class)
            .serverAuth();

    /** {@code POST /_matrix/federation/v1/publicRooms}: the directory searched with a filter. */
    public static final EndpointSpec<PublicRoomsRequest, PublicRoomsResponse> SEARCH_PUBLIC_ROOMS = EndpointSpec.post(
                    "/_matrix/federation/v1/publicRooms", PublicRoomsRequest.class, PublicRoomsResponse.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/hierarchy/{roomId}?suggested_only=}: a space and those of its
     * children the asking server could peek or join, unpaginated.
     */
    public static final EndpointSpec<NoBody, SpaceHierarchyResponse> SPACE_HIERARCHY = EndpointSpec.get(
                    "/_matrix/federation/v1/hierarchy/{roomId}", SpaceHierarchyResponse.class)
            .serverAuth();

    /**
     * {@code GET /_matrix/federation/v1/user/devices/{userId}}: all devices of one of the server's
     * users, with the {@code stream_id} its device list updates continue from.
     */
    public static final EndpointSpec<NoBody, UserDevicesResponse> USER_DEVICES = EndpointSpec.get(
                    "/_matrix/federation/v1/user/devices/{userId}", UserDevicesResponse.class)
            .serverAuth();

    private FederationEndpoints() {}
}
