package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * The answer of the deprecated {@code GET /initialSync}.
 *
 * @param rooms the rooms the user is in or invited to (and left, when asked for)
 * @param presence the presence of users sharing a room with the user, and theirs, unless offline
 * @param accountData the user's global account data
 * @param receipts one {@code m.receipt} event per joined room that has receipts
 * @param end the stream token to go on from with {@code /events}
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3initialsync">spec</a>
 */
public record InitialSnapshot(
        List<RoomSnapshot> rooms, ArrayNode presence, ArrayNode accountData, ArrayNode receipts, String end) {}
