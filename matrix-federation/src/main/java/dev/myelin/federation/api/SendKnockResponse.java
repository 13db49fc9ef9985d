package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answer to {@code send_knock}: stripped state events of the room, for the knocking user to
 * see what they knocked on.
 *
 * @param knock_room_state stripped state events ({@code type}, {@code state_key}, {@code content},
 *     {@code sender})
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv1send_knockroomideventid">spec</a>
 */
public record SendKnockResponse(List<ObjectNode> knock_room_state) {
    public SendKnockResponse {
        knock_room_state = knock_room_state == null ? List.of() : List.copyOf(knock_room_state);
    }
}
