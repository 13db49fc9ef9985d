package dev.myelin.server.handler.space;

import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The summary of one room (MSC3266, in the spec since v1.15), for a room id or alias: from this
 * server's copy of the room when it has one, else from the servers the alias or {@code via} names,
 * through the federation {@code /hierarchy} they answer. A user sees the summary of a room they
 * are or were in and of any room the hierarchy rules let them see; without an access token only
 * rooms anyone may join, knock on or read are summarised. Any other room is 404, exactly as an
 * unknown one, so that the answer does not tell whether a private room exists.
 */
public final class RoomSummaries {
    private static final Set<String> OPEN_RULES = Set.of("public", "knock", "knock_restricted");

    /** A room's summary, with the requester's membership when they have one. */
    public record Summary(SpaceRoomSummary room, Optional<String> membership) {}

    private final LocalSpaces local;
    private final RemoteHierarchies remote;
    private final RoomDirectoryHandler directory;

    public RoomSummaries(LocalSpaces local, RemoteHierarchies remote, RoomDirectoryHandler directory) {
        this.local = local;
        this.remote = remote;
        this.directory = directory;
    }

    public Summary summary(Optional<UserId> user, String roomIdOrAlias, List<ServerName> via) {
        List<ServerName> servers = new ArrayList<>(via);
        RoomId room = resolve(roomIdOrAlias, servers);
        Optional<LocalSpaces.LocalRoom> known = local.find(room);
        if (known.isPresent()) {
            Optional<String> membership = user.flatMap(u -> local.membership(room, u));
            boolean visible = user.isPresent()
                    ? membership.isPresent() || local.visibleTo(user.get(), known.get())
                    : known.get().openToAll() || known.get().worldReadable();
            if (visible) {
                return new Summary(local.summary(known.get(), false, false), membership);
            }
            throw notFound();
        }
        SpaceRoomSummary summary = remote.fetch(room, servers, false)
                .map(RemoteHierarchies.Answer::room)
                .orElseThrow(RoomSummaries::notFound);
        boolean visible = user.isPresent()
                ? local.visibleTo(user.get(), summary)
                : OPEN_RULES.contains(summary.joinRule() == null ? "" : summary.joinRule()) || summary.worldReadable();
        if (!visible) {
            throw notFound();
        }
        return new Summary(summary.withChildrenState(List.of()), user.flatMap(u -> local.membership(room, u)));
    }

    /** The room {@code roomIdOrAlias} names; an alias adds the servers its directory answer names to {@code servers}. */
    private RoomId resolve(String roomIdOrAlias, List<ServerName> servers) {
        if (roomIdOrAlias.startsWith("#")) {
            if (!RoomAlias.isValid(roomIdOrAlias)) {
                throw MatrixException.invalidParam("roomIdOrAlias", "is not a valid room alias");
            }
            RoomDirectoryHandler.Resolved resolved;
            try {
                resolved = directory.resolve(RoomAlias.parse(roomIdOrAlias));
            } catch (MatrixException e) {
                if (e.status() == 404) {
                    throw notFound();
                }
                throw e;
            }
            resolved.servers().stream()
                    .filter(ServerName::isValid)
                    .map(ServerName::parse)
                    .forEach(servers::add);
            return resolved.room();
        }
        if (!RoomId.isValid(roomIdOrAlias)) {
            throw MatrixException.invalidParam("roomIdOrAlias", "is neither a room id nor a room alias");
        }
        RoomId room = RoomId.parse(roomIdOrAlias);
        room.server().ifPresent(servers::add);
        return room;
    }

    private static MatrixException notFound() {
        return MatrixException.notFound("Room not found.");
    }
}
