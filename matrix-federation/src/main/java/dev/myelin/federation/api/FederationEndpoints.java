package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** {@code PUT /_matrix/federation/v1/send/{txnId}}: a transaction of PDUs and EDUs, signed. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SEND_TRANSACTION = EndpointSpec.put(
                    "/_matrix/federation/v1/send/{txnId}", ObjectNode.class, ObjectNode.class)
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

    private FederationEndpoints() {}
}
