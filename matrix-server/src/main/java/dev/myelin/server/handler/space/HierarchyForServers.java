package dev.myelin.server.handler.space;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.SpaceHierarchyResponse;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.error.MatrixException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /_matrix/federation/v1/hierarchy/{roomId}} for another server: the space and, unpaginated,
 * its children this server is in (of its first {@link #MAX_CHILDREN} links), split into those the
 * asking server may see and those it may not. Children this server is not in are left out: it has no details to give of them. A space
 * this server does not know, or that the asking server may not see, is 404 {@code M_NOT_FOUND}, as
 * Synapse answers.
 */
public final class HierarchyForServers {
    /** How many of a space's links are looked at, as Synapse does. */
    static final int MAX_CHILDREN = 50;

    private final LocalSpaces local;

    public HierarchyForServers(LocalSpaces local) {
        this.local = local;
    }

    /** The space {@code roomId} and its children, as {@code origin} may see them. */
    public SpaceHierarchyResponse hierarchy(ServerName origin, String roomId, boolean suggestedOnly) {
        Optional<LocalSpaces.LocalRoom> space = RoomId.isValid(roomId)
                ? local.find(RoomId.parse(roomId)).filter(r -> local.visibleTo(origin, r))
                : Optional.empty();
        if (space.isEmpty()) {
            throw MatrixException.notFound("Unknown room: " + roomId);
        }
        SpaceRoomSummary summary = local.summary(space.get(), suggestedOnly, true);
        List<SpaceRoomSummary> children = new ArrayList<>();
        List<String> inaccessible = new ArrayList<>();
        for (SpaceChild link : SpaceChild.linksIn(summary.childrenState(), suggestedOnly).stream()
                .limit(MAX_CHILDREN)
                .toList()) {
            if (!local.isResident(link.room())) {
                continue;
            }
            Optional<LocalSpaces.LocalRoom> child = local.find(link.room());
            if (child.isEmpty()) {
                continue;
            }
            if (local.visibleTo(origin, child.get())) {
                children.add(local.summary(child.get(), suggestedOnly, false));
            } else {
                inaccessible.add(link.room().value());
            }
        }
        return new SpaceHierarchyResponse(summary, children, inaccessible);
    }
}
