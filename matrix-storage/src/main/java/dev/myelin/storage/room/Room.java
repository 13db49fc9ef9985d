package dev.myelin.storage.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.Optional;

/**
 * A room this server knows. The version is kept as its identifier so a room of a version this code does not
 * know can still be stored and relayed.
 */
public record Room(RoomId roomId, String versionId, Optional<UserId> creator, boolean isPublic) {
    /** The room version, if this code knows it. */
    public Optional<RoomVersion> version() {
        return RoomVersions.find(versionId);
    }
}
