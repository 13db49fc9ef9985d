package dev.myelin.server.handler.directory;

import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One room of the public room list, as the spec's {@code PublishedRoomsChunk} has it; the JSON is
 * written from this record.
 *
 * @param roomId the room
 * @param name its {@code m.room.name}
 * @param topic its {@code m.room.topic}
 * @param canonicalAlias its {@code m.room.canonical_alias}
 * @param numJoinedMembers how many users are joined
 * @param worldReadable whether guests may read it without joining
 * @param guestCanJoin whether guests may join
 * @param joinRule its join rule
 * @param avatarUrl its avatar
 * @param roomType the {@code type} of its {@code m.room.create} (a space, say)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3publicrooms">spec</a>
 */
public record PublicRoom(
        String roomId,
        @Nullable String name,
        @Nullable String topic,
        @Nullable String canonicalAlias,
        long numJoinedMembers,
        boolean worldReadable,
        boolean guestCanJoin,
        @Nullable String joinRule,
        @Nullable String avatarUrl,
        @Nullable String roomType) {

    /** The texts a directory search looks in: name, topic and canonical alias, where set. */
    Stream<String> searchableTexts() {
        return Stream.of(name, topic, canonicalAlias).flatMap(t -> Optional.ofNullable(t).stream());
    }
}
