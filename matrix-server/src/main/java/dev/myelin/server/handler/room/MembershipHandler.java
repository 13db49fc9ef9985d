package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.appservice.AppServiceQueries;
import dev.myelin.server.handler.directory.RemoteAliases;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import dev.myelin.server.handler.federation.InviteExchange;
import dev.myelin.server.handler.federation.RemoteInviteRejection;
import dev.myelin.server.handler.federation.RemoteJoins;
import dev.myelin.server.handler.federation.RemoteKnocks;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.server.handler.upgrade.RoomSettingsTransfer;
import dev.myelin.storage.account.Profile;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.BlockedRoomStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteKnock;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Changes of room membership by local users: join (by id or alias), knock, invite, leave, kick,
 * ban, unban and forget. Every change is an {@code m.room.member} event made by {@link EventCreator},
 * so the core auth rules decide who may do what (join rules, bans, kick and ban power); this class
 * adds what the rules do not cover: profile data in the content, idempotent joins, the user's
 * settings carried over on joining a room that replaced another ({@link RoomSettingsTransfer}), and the
 * Synapse-compatible errors clients expect. Another server's user is invited once their server
 * signed the invite ({@link InviteExchange}); an invite received from another server to a room this
 * server is not in is rejected through that server ({@link RemoteInviteRejection}). A room this
 * server is not in is joined ({@link RemoteJoins}) or knocked on ({@link RemoteKnocks}) through a
 * server that is, and a knock made so is rescinded through it. A join of a restricted room carries
 * the user of this server who authorises it ({@link RestrictedJoinAuthoriser}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-membership">Room membership</a>
 */
public final class MembershipHandler {
    private final RoomAliasStore aliases;
    private final ForgottenRoomStore forgotten;
    private final StateStore stateStore;
    private final ProfileStore profiles;
    private final EventCreator events;
    private final RoomStateReader state;
    private final RoomSettingsTransfer upgradeSettings;
    private final RemoteJoins remoteJoins;
    private final RemoteAliases remoteAliases;
    private final ServerName serverName;
    private final InviteExchange inviteExchange;
    /** Asks application services about unknown aliases of their namespaces. */
    private final AppServiceQueries appServiceQueries;

    private final RemoteInviteRejection remoteInvites;
    private final RemoteKnocks remoteKnocks;
    private final RestrictedJoinAuthoriser restricted;
    private final BlockedRoomStore blocked;

    /** Keys of a join's content that are the server's to set, never the client's. */
    private static final List<String> SERVER_SET_JOIN_KEYS =
            List.of("membership", "reason", "third_party_signed", "join_authorised_via_users_server");

    public MembershipHandler(
            RoomAliasStore aliases,
            ForgottenRoomStore forgotten,
            StateStore stateStore,
            ProfileStore profiles,
            EventCreator events,
            RoomStateReader state,
            RoomSettingsTransfer upgradeSettings,
            RemoteJoins remoteJoins,
            RemoteAliases remoteAliases,
            ServerName serverName,
            InviteExchange inviteExchange,
            RemoteInviteRejection remoteInvites,
            RemoteKnocks remoteKnocks,
            RestrictedJoinAuthoriser restricted,
            AppServiceQueries appServiceQueries,
            BlockedRoomStore blocked) {
        this.blocked = blocked;
        this.appServiceQueries = appServiceQueries;
        this.remoteKnocks = remoteKnocks;
        this.restricted = restricted;
        this.inviteExchange = inviteExchange;
        this.remoteInvites = remoteInvites;
        this.upgradeSettings = upgradeSettings;
        this.remoteJoins = remoteJoins;
        this.remoteAliases = remoteAliases;
        this.aliases = aliases;
        this.forgotten = forgotten;
        this.stateStore = stateStore;
        this.profiles = profiles;
        this.events = events;
        this.state = state;
        this.serverName = serverName;
    }

    /** The room an id or alias names; 404 when the alias is unknown or remote, or the room unknown. */
    public RoomId resolve(String roomIdOrAlias) {
        if (roomIdOrAlias.startsWith("#")) {
            RoomAlias alias;
            try {
                alias = RoomAlias.parse(roomIdOrAlias);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("roomIdOrAlias", e.getMessage());
            }
            return appServiceQueries
                    .resolveAlias(alias, aliases::resolve)
                    .orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found"));
        }
        try {
            return RoomId.parse(roomIdOrAlias);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("roomIdOrAlias", "must be a room id or a room alias");
        }
    }

    /**
     * The room an id or alias names, with the servers to join it through: for an alias of another
     * server not known here, that server is asked ({@code /query/directory}) and its answer's
     * servers come first.
     */
    public RoomTarget resolveForJoin(String roomIdOrAlias) {
        if (roomIdOrAlias.startsWith("#")) {
            RoomAlias alias;
            try {
                alias = RoomAlias.parse(roomIdOrAlias);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("roomIdOrAlias", e.getMessage());
            }
            Optional<RoomId> local = appServiceQueries.resolveAlias(alias, aliases::resolve);
            if (local.isPresent() || alias.server().equals(serverName)) {
                return new RoomTarget(
                        local.orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found")),
                        List.of());
            }
            RoomDirectoryHandler.Resolved remote = remoteAliases.resolve(alias);
            List<ServerName> servers = new ArrayList<>();
            servers.add(alias.server());
            for (String server : remote.servers()) {
                if (ServerName.isValid(server)) {
                    servers.add(ServerName.parse(server));
                }
            }
            return new RoomTarget(remote.room(), servers);
        }
        return new RoomTarget(resolve(roomIdOrAlias), List.of());
    }

    /** A room to join and servers to join it through. */
    public record RoomTarget(RoomId room, List<ServerName> servers) {}

    /** Joins the user to the room; joining a room one is already in changes nothing. */
    public RoomId join(UserId user, RoomId room, Optional<String> reason) {
        return join(user, room, JsonNodeFactory.instance.objectNode(), reason);
    }

    /**
     * Joins the user to the room with {@code extra} keys in the join event's content, as a client
     * may send them to {@code POST /join/{roomIdOrAlias}}. A {@code displayname} or {@code
     * avatar_url} among them is the user's profile in this room (Synapse allows per-room
     * profiles); keys only the server may set are dropped.
     *
     * @throws MatrixException 400 {@code M_BAD_JSON} when a given profile field is not a string of
     *     the length profiles allow
     */
    public RoomId join(UserId user, RoomId room, ObjectNode extra, Optional<String> reason) {
        return join(user, room, extra, reason, List.of());
    }

    /**
     * As {@link #join(UserId, RoomId, ObjectNode, Optional)}; when this server is not in the room,
     * the user joins over federation through {@code via} (the client's {@code server_name} and
     * {@code via} parameters) or the server named in the room id.
     */
    public RoomId join(UserId user, RoomId room, ObjectNode extra, Optional<String> reason, List<ServerName> via) {
        requireNotBlocked(room);
        ObjectNode requested = extra.deepCopy();
        SERVER_SET_JOIN_KEYS.forEach(requested::remove);
        checkProfileField(requested, "displayname", ProfileHandler.MAX_DISPLAYNAME_LENGTH);
        checkProfileField(requested, "avatar_url", ProfileHandler.MAX_AVATAR_URL_LENGTH);
        if (joinsRemotely(room)) {
            List<ServerName> servers = new ArrayList<>(via);
            // the server that invited the user is in the room, even when this one left it
            remoteInvites.pending(user, room).ifPresent(invite -> servers.add(invite.origin()));
            room.server().ifPresent(servers::add);
            if (!servers.stream().allMatch(serverName::equals)) {
                ObjectNode content = memberContent(Membership.JOIN, user, reason);
                content.setAll(requested);
                content.remove("membership");
                remoteJoins.join(user, room, servers, content);
                forgotten.unforget(user, room);
                predecessor(room).ifPresent(old -> {
                    upgradeSettings.copy(user, old, room);
                    upgradeSettings.moveServerListings(old, room);
                });
                return room;
            }
        }
        state.requireRoom(room);
        if (state.isJoined(room, user)) {
            return room;
        }
        ObjectNode content = memberContent(Membership.JOIN, user, reason);
        content.setAll(requested);
        restricted
                .authoriserFor(room, user, false)
                .ifPresent(authoriser -> content.put("join_authorised_via_users_server", authoriser.toString()));
        events.create(EventRequest.state(room, user, RoomStateReader.MEMBER, user.toString(), content));
        forgotten.unforget(user, room);
        predecessor(room).ifPresent(old -> upgradeSettings.copy(user, old, room));
        return room;
    }

    /**
     * 403 {@code M_FORBIDDEN} when a server admin blocked the room: nobody of this server joins it,
     * here or over federation (Synapse's message).
     */
    private void requireNotBlocked(RoomId room) {
        if (blocked.blockedBy(room).isPresent()) {
            throw MatrixException.forbidden("This room has been blocked on this server");
        }
    }

    /**
     * Knocks on the room for the user: asks to be invited. A room this server is not in is knocked
     * on over federation through {@code via} or the server named in the room id.
     *
     * @throws MatrixException 403 {@code M_FORBIDDEN} when the room's version has no knocking, its
     *     join rule does not allow knocking, or the user is banned, invited or joined already
     */
    public RoomId knock(UserId user, RoomId room, Optional<String> reason, List<ServerName> via) {
        if (joinsRemotely(room)) {
            List<ServerName> servers = new ArrayList<>(via);
            // the server that invited the user is in the room, even when this one left it
            remoteInvites.pending(user, room).ifPresent(invite -> servers.add(invite.origin()));
            room.server().ifPresent(servers::add);
            if (!servers.stream().allMatch(serverName::equals)) {
                ObjectNode content = memberContent(Membership.KNOCK, user, reason);
                content.remove("membership");
                remoteKnocks.knock(user, room, servers, content);
                forgotten.unforget(user, room);
                return room;
            }
        }
        RoomVersion version = state.requireVersion(room);
        if (!version.auth().knocking()) {
            throw MatrixException.forbidden("Room version " + version.id() + " does not support knocking");
        }
        Optional<String> current = state.membership(room, user);
        if (current.filter("join"::equals).isPresent()) {
            throw MatrixException.forbidden("You cannot knock on a room you are already in");
        }
        if (current.filter("invite"::equals).isPresent()) {
            throw MatrixException.forbidden("You are already invited to this room");
        }
        if (current.filter("ban"::equals).isPresent()) {
            throw MatrixException.forbidden("You are banned from this room");
        }
        String rule = state.currentEvent(room, "m.room.join_rules", "")
                .map(e -> e.pdu().content().path("join_rule").asText(""))
                .orElse("");
        boolean knockable = rule.equals("knock")
                || (rule.equals("knock_restricted") && version.auth().knockRestrictedJoins());
        if (!knockable) {
            throw MatrixException.forbidden(
                    "You are not allowed to knock on this room: its join rule is '" + rule + "'");
        }
        events.create(EventRequest.state(
                room, user, RoomStateReader.MEMBER, user.toString(), memberContent(Membership.KNOCK, user, reason)));
        forgotten.unforget(user, room);
        return room;
    }

    /**
     * Whether a join of {@code room} must go over federation: no user of this server is joined, and
     * the room is unknown here or others are joined to it.
     */
    private boolean joinsRemotely(RoomId room) {
        List<UserId> joined = stateStore.joinedMembers(room);
        if (joined.stream().anyMatch(u -> u.server().equals(serverName))) {
            return false;
        }
        if (!joined.isEmpty()) {
            return true;
        }
        try {
            state.requireRoom(room);
            return false;
        } catch (MatrixException unknown) {
            return true;
        }
    }

    public StoredEvent invite(UserId sender, RoomId room, UserId target, Optional<String> reason) {
        return invite(sender, room, target, reason, JsonNodeFactory.instance.objectNode());
    }

    /**
     * Invites {@code target} with {@code extra} keys in the invite's content: the {@code
     * third_party_invite} of an invite that a bound 3PID turned into one.
     */
    public StoredEvent invite(UserId sender, RoomId room, UserId target, Optional<String> reason, ObjectNode extra) {
        state.requireRoom(room);
        Optional<String> current = state.membership(room, target);
        if (current.filter("join"::equals).isPresent()) {
            throw MatrixException.forbidden(target + " is already in the room.");
        }
        if (current.filter("ban"::equals).isPresent()) {
            throw MatrixException.forbidden(target + " is banned from the room");
        }
        EventRequest request = EventRequest.state(
                room,
                sender,
                RoomStateReader.MEMBER,
                target.toString(),
                memberContent(Membership.INVITE, target, reason).setAll(extra));
        // another server's user is invited once their server has signed the invite
        StoredEvent event = target.server().equals(serverName)
                ? events.create(request)
                : events.createExchanged(request, inviteExchange::exchange);
        forgotten.unforget(target, room);
        return event;
    }

    /** Leaves (or rejects an invite to, or retracts a knock on) the room. */
    public StoredEvent leave(UserId user, RoomId room, Optional<String> reason) {
        Optional<RemoteInvite> remoteInvite = remoteInvites.pending(user, room);
        if (remoteInvite.isPresent() && !state.isJoined(room, user)) {
            // an invite to a room this server is not in: rejected through the inviting server
            return remoteInvites.reject(remoteInvite.get(), reason);
        }
        Optional<RemoteKnock> remoteKnock = remoteKnocks.pending(user, room);
        if (remoteKnock.isPresent() && state.membership(room, user).isEmpty()) {
            // a knock on a room this server is not in: rescinded through the server it went through
            return remoteKnocks.rescind(remoteKnock.get(), reason);
        }
        state.requireRoom(room);
        String current = state.membership(room, user).orElse("");
        if (!current.equals("join") && !current.equals("invite") && !current.equals("knock")) {
            throw MatrixException.forbidden("User " + user + " is not in room " + room);
        }
        return events.create(EventRequest.state(
                room, user, RoomStateReader.MEMBER, user.toString(), reasonOnly(Membership.LEAVE, reason)));
    }

    public StoredEvent kick(UserId sender, RoomId room, UserId target, Optional<String> reason) {
        state.requireRoom(room);
        String current = state.membership(room, target).orElse("");
        if (!current.equals("join") && !current.equals("invite") && !current.equals("knock")) {
            throw MatrixException.forbidden("The target user is not in the room");
        }
        return events.create(EventRequest.state(
                room, sender, RoomStateReader.MEMBER, target.toString(), reasonOnly(Membership.LEAVE, reason)));
    }

    public StoredEvent ban(UserId sender, RoomId room, UserId target, Optional<String> reason) {
        state.requireRoom(room);
        return events.create(EventRequest.state(
                room, sender, RoomStateReader.MEMBER, target.toString(), reasonOnly(Membership.BAN, reason)));
    }

    public StoredEvent unban(UserId sender, RoomId room, UserId target, Optional<String> reason) {
        state.requireRoom(room);
        if (state.membership(room, target).filter("ban"::equals).isEmpty()) {
            throw MatrixException.forbidden("The target user is not banned");
        }
        return events.create(EventRequest.state(
                room, sender, RoomStateReader.MEMBER, target.toString(), reasonOnly(Membership.LEAVE, reason)));
    }

    /** The room this one replaced in an upgrade, as its create event names it. */
    private Optional<RoomId> predecessor(RoomId room) {
        JsonNode id = state.currentEvent(room, "m.room.create", "")
                .map(e -> e.pdu().content().path("predecessor").path("room_id"))
                .orElse(null);
        if (id == null || !id.isTextual() || !RoomId.isValid(id.asText())) {
            return Optional.empty();
        }
        return Optional.of(RoomId.parse(id.asText()));
    }

    /** Forgets a room the user has left or was banned from; 400 while they are still in it. */
    public void forget(UserId user, RoomId room) {
        state.requireRoom(room);
        Optional<String> current = state.membership(room, user);
        if (current.isPresent()
                && !current.get().equals("leave")
                && !current.get().equals("ban")) {
            throw new MatrixException(400, ErrorCode.UNKNOWN, "User " + user + " is in room " + room);
        }
        forgotten.forget(user, room);
    }

    public List<RoomId> joinedRooms(UserId user) {
        return stateStore.roomsForUser(user, Membership.JOIN);
    }

    /** A member event's content with the target's profile, as Synapse fills it for local users. */
    private ObjectNode memberContent(Membership membership, UserId target, Optional<String> reason) {
        ObjectNode content = reasonOnly(membership, reason);
        if (target.server().equals(serverName)) {
            Profile profile = profiles.get(target);
            profile.displayName().ifPresent(name -> content.put("displayname", name));
            profile.avatarUrl().ifPresent(url -> content.put("avatar_url", url));
        }
        return content;
    }

    private static void checkProfileField(ObjectNode content, String key, int maxLength) {
        JsonNode value = content.get(key);
        if (value == null) {
            return;
        }
        if (!value.isTextual() || value.asText().length() > maxLength) {
            throw MatrixException.badJson("'" + key + "' must be a string of at most " + maxLength + " characters");
        }
    }

    private static ObjectNode reasonOnly(Membership membership, Optional<String> reason) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership.value());
        reason.ifPresent(r -> content.put("reason", r));
        return content;
    }
}
