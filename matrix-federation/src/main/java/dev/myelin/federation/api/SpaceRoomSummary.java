package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointJson;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One room of a space hierarchy, as both the client and the federation {@code /hierarchy}
 * answers give it: the spec's {@code RoomSummary} (the public room list's fields with the room's
 * type, version, encryption and the rooms its restricted join rule allows) and the stripped
 * {@code m.space.child} events of a space.
 *
 * @param roomId the room
 * @param name its {@code m.room.name}
 * @param topic its {@code m.room.topic}
 * @param canonicalAlias its {@code m.room.canonical_alias}
 * @param numJoinedMembers how many users are joined
 * @param avatarUrl its {@code m.room.avatar}
 * @param joinRule its join rule
 * @param worldReadable whether its history is {@code world_readable}
 * @param guestCanJoin whether guests may join
 * @param roomType the {@code type} of its {@code m.room.create} ({@code m.space} for a space)
 * @param roomVersion its room version
 * @param encryption the algorithm of its {@code m.room.encryption}
 * @param allowedRoomIds the rooms whose members may join, for a restricted join rule; else null
 * @param childrenState the space's {@code m.space.child} events stripped ({@code type},
 *     {@code state_key}, {@code content}, {@code sender}, {@code origin_server_ts}); empty for a
 *     room that is not a space
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidhierarchy">spec</a>
 */
public record SpaceRoomSummary(
        String roomId,
        @Nullable String name,
        @Nullable String topic,
        @Nullable String canonicalAlias,
        long numJoinedMembers,
        @Nullable String avatarUrl,
        @Nullable String joinRule,
        boolean worldReadable,
        boolean guestCanJoin,
        @Nullable String roomType,
        @Nullable String roomVersion,
        @Nullable String encryption,
        @Nullable List<String> allowedRoomIds,
        List<ObjectNode> childrenState) {

    /** Requires a room id, so that a summary without one counts as malformed. */
    public SpaceRoomSummary {
        EndpointJson.required(roomId, "room_id");
        allowedRoomIds = allowedRoomIds == null ? null : List.copyOf(allowedRoomIds);
        childrenState = childrenState == null ? List.of() : List.copyOf(childrenState);
    }

    /** This summary with other {@code children_state}. */
    public SpaceRoomSummary withChildrenState(List<ObjectNode> state) {
        return new SpaceRoomSummary(
                roomId,
                name,
                topic,
                canonicalAlias,
                numJoinedMembers,
                avatarUrl,
                joinRule,
                worldReadable,
                guestCanJoin,
                roomType,
                roomVersion,
                encryption,
                allowedRoomIds,
                state);
    }
}
