package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a server's published room directory, as {@code /publicRooms} answers it.
 *
 * @param chunk the rooms ({@code room_id}, {@code num_joined_members}, {@code name}, ...)
 * @param totalRoomCountEstimate how many rooms the whole list has
 * @param nextBatch a token for the next page, when there is one
 * @param prevBatch a token for the previous page, when there is one
 */
public record PublicRoomsResponse(
        List<ObjectNode> chunk,
        long totalRoomCountEstimate,
        @Nullable String nextBatch,
        @Nullable String prevBatch) {
    public PublicRoomsResponse {
        chunk = List.copyOf(chunk);
    }
}
