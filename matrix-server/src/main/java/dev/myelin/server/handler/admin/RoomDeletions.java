package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.CreateRoomRequest;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.room.BlockedRoomStore;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.RoomPurger;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting a room as a server admin (Synapse's delete room API): every local user leaves it (and
 * joins a new room made by {@code new_room_user_id}, when given, which tells them why), its local
 * aliases and directory listing go, it is blocked if asked, and its data is purged from the
 * database if asked ({@link RoomPurger}, chunk by chunk). A deletion runs now ({@link #deleteNow})
 * or in the background ({@link #schedule}), whose progress {@link #byId} and {@link #byRoom} report.
 *
 * <p>The statuses are held in memory: they do not outlive the process, as in Synapse before its
 * task scheduler.
 */
public final class RoomDeletions {
    private static final Logger LOG = LoggerFactory.getLogger(RoomDeletions.class);
    static final String DEFAULT_ROOM_NAME = "Content Violation Notification";
    static final String DEFAULT_MESSAGE =
            "Sharing illegal content on this server is not permitted and rooms in violation will be blocked.";

    /** What an admin asked: see Synapse's delete room API for each field. */
    public record Request(
            RoomId room,
            UserId admin,
            Optional<UserId> newRoomUser,
            Optional<String> roomName,
            Optional<String> message,
            boolean block,
            boolean purge,
            boolean forcePurge) {}

    /** What shutting the room down did. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Shutdown(
            List<String> kickedUsers,
            List<String> failedToKickUsers,
            List<String> localAliases,
            @Nullable String newRoomId) {
        static final Shutdown NOTHING = new Shutdown(List.of(), List.of(), List.of(), null);
    }

    /** One deletion's progress: {@code scheduled}, {@code active}, {@code complete} or {@code failed}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(
            String deleteId,
            String roomId,
            String status,
            Shutdown shutdownRoom,
            @Nullable String error) {
        Status with(String newStatus, Shutdown shutdown, @Nullable String failure) {
            return new Status(deleteId, roomId, newStatus, shutdown, failure);
        }
    }

    private final ServerName serverName;
    private final UserStore users;
    private final RoomStore rooms;
    private final StateStore state;
    private final MembershipHandler membership;
    private final RoomCreator roomCreator;
    private final EventCreator events;
    private final RoomAliasStore aliases;
    private final BlockedRoomStore blocked;
    private final RoomPurger purger;
    private final RoomVersion newRoomVersion;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    public RoomDeletions(
            ServerName serverName,
            UserStore users,
            RoomStore rooms,
            StateStore state,
            MembershipHandler membership,
            RoomCreator roomCreator,
            EventCreator events,
            RoomAliasStore aliases,
            BlockedRoomStore blocked,
            RoomPurger purger,
            RoomVersion newRoomVersion) {
        this.serverName = serverName;
        this.users = users;
        this.rooms = rooms;
        this.state = state;
        this.membership = membership;
        this.roomCreator = roomCreator;
        this.events = events;
        this.aliases = aliases;
        this.blocked = blocked;
        this.purger = purger;
        this.newRoomVersion = newRoomVersion;
    }

    /** Checks {@code request} and deletes the room before returning (Synapse's v1 API). */
    public Shutdown deleteNow(Request request) {
        check(request);
        return run(request, s -> {});
    }

    /** Checks {@code request} and starts deleting the room in the background; returns the deletion's id. */
    public String schedule(Request request) {
        check(request);
        String id = UUID.randomUUID().toString().replace("-", "");
        String room = request.room().value();
        boolean running = statuses.values().stream()
                .anyMatch(s -> s.roomId().equals(room)
                        && (s.status().equals("scheduled") || s.status().equals("active")));
        if (running) {
            throw MatrixException.invalidParam("room_id", "a deletion of " + room + " is already running");
        }
        statuses.put(id, new Status(id, room, "scheduled", Shutdown.NOTHING, null));
        Thread.ofVirtual().name("room-delete-" + id).start(() -> {
            statuses.computeIfPresent(id, (k, s) -> s.with("active", s.shutdownRoom(), null));
            try {
                Shutdown done = run(
                        request, shutdown -> statuses.computeIfPresent(id, (k, s) -> s.with("active", shutdown, null)));
                statuses.computeIfPresent(id, (k, s) -> s.with("complete", done, null));
            } catch (RuntimeException e) {
                LOG.warn("deleting room {} failed", room, e);
                statuses.computeIfPresent(
                        id, (k, s) -> s.with("failed", s.shutdownRoom(), String.valueOf(e.getMessage())));
            }
        });
        return id;
    }

    /** A deletion by its id. */
    public Optional<Status> byId(String deleteId) {
        return Optional.ofNullable(statuses.get(deleteId));
    }

    /** The deletions of a room this process ran or runs. */
    public List<Status> byRoom(RoomId room) {
        return statuses.values().stream()
                .filter(s -> s.roomId().equals(room.value()))
                .toList();
    }

    private void check(Request request) {
        if (rooms.get(request.room()).isEmpty() && !request.block()) {
            throw MatrixException.notFound("Unknown room id " + request.room());
        }
        request.newRoomUser().ifPresent(user -> {
            if (!user.server().equals(serverName)) {
                throw MatrixException.invalidParam("new_room_user_id", "must be a user of this server");
            }
            if (users.get(user).isEmpty()) {
                throw MatrixException.invalidParam("new_room_user_id", "unknown user " + user);
            }
        });
    }

    private Shutdown run(Request request, Consumer<Shutdown> progress) {
        RoomId room = request.room();
        if (request.block()) {
            blocked.block(room, request.admin());
        }
        if (rooms.get(room).isEmpty()) {
            return Shutdown.NOTHING; // only blocked: nothing here to shut down or purge
        }
        Optional<RoomId> newRoom = request.newRoomUser().map(creator -> newRoom(creator, request));
        List<String> kicked = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (UserId user : localMembers(room)) {
            try {
                boolean wasJoined = state.currentMembership(room, user)
                        .filter("join"::equals)
                        .isPresent();
                membership.leave(user, room, Optional.empty());
                membership.forget(user, room);
                if (wasJoined) {
                    newRoom.ifPresent(target -> membership.join(user, target, Optional.empty()));
                    kicked.add(user.toString());
                }
            } catch (RuntimeException e) {
                LOG.warn("could not remove {} from room {}", user, room, e);
                failed.add(user.toString());
            }
        }
        List<String> removedAliases = new ArrayList<>();
        for (RoomAlias alias : aliases.aliasesFor(room)) {
            removedAliases.add(alias.toString());
            if (newRoom.isEmpty()) {
                aliases.delete(alias);
            }
        }
        // as Synapse does: the room's addresses now lead to the room that says why it is gone
        newRoom.ifPresent(target -> aliases.moveAll(room, target));
        rooms.setPublic(room, false);
        Shutdown shutdown = new Shutdown(
                kicked, failed, removedAliases, newRoom.map(RoomId::value).orElse(null));
        progress.accept(shutdown);
        if (request.purge()) {
            if (!request.forcePurge() && !localMembers(room).isEmpty()) {
                throw new IllegalStateException("local users are still in the room; force_purge purges anyway");
            }
            long deleted = purger.purgeRoom(room);
            LOG.info("purged room {}: {} events", room, deleted);
        }
        return shutdown;
    }

    /** This server's users with a membership in the room that leaving ends (joined, invited, knocking). */
    private List<UserId> localMembers(RoomId room) {
        return state
                .members(
                        room,
                        List.of(Membership.JOIN, Membership.INVITE, Membership.KNOCK),
                        UserId.parse("@-:" + serverName), // excludes no real user
                        Integer.MAX_VALUE)
                .stream()
                .filter(u -> u.server().equals(serverName))
                .toList();
    }

    private RoomId newRoom(UserId creator, Request request) {
        var powerLevels = JsonNodeFactory.instance.objectNode().put("users_default", -10);
        RoomId created = roomCreator.create(new CreateRoomRequest(
                creator,
                newRoomVersion,
                CreateRoomRequest.Preset.PUBLIC_CHAT,
                false,
                Optional.of(request.roomName().orElse(DEFAULT_ROOM_NAME)),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                false,
                List.of(),
                JsonNodeFactory.instance.objectNode(),
                Optional.of(powerLevels)));
        events.create(EventRequest.message(
                created,
                creator,
                "m.room.message",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("msgtype", "m.text")
                        .put("body", request.message().orElse(DEFAULT_MESSAGE))));
        return created;
    }
}
