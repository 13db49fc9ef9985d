package dev.myelin.server.handler.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.appservice.AppServiceQueries;
import dev.myelin.server.handler.appservice.AppServices;
import dev.myelin.server.handler.room.CanonicalAliasCheck;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.appservice.AppServiceRoomListStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local room aliases and the public room directory. Alias and listing changes need the power to
 * send {@code m.room.canonical_alias} (what Synapse calls changing the room list), except that an
 * alias's creator may always delete it. Other servers' aliases are resolved by asking their server
 * ({@link RemoteAliases}); their public room lists are not queried.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-aliases">Room aliases</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#listing-rooms">Listing rooms</a>
 */
public final class RoomDirectoryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RoomDirectoryHandler.class);
    private static final int MAX_LIMIT = 500;

    private final RoomAliasStore aliasStore;
    private final StateStore stateStore;
    private final RoomStore roomStore;
    private final RoomStateReader state;
    private final HistoryVisibilityFilter visibility;
    private final EventCreator events;
    private final ServerName serverName;
    private final RemoteAliases remoteAliases;
    private final AppServices appServices;
    private final AppServiceQueries appServiceQueries;
    private final AppServiceRoomListStore appServiceLists;

    /**
     * {@code appServices} own the aliases of their exclusive namespaces; {@code appServiceQueries}
     * asks them about unknown aliases of their namespaces; {@code appServiceLists} holds the rooms
     * they published in their own directory lists.
     */
    public RoomDirectoryHandler(
            RoomAliasStore aliasStore,
            StateStore stateStore,
            RoomStore roomStore,
            RoomStateReader state,
            HistoryVisibilityFilter visibility,
            EventCreator events,
            ServerName serverName,
            RemoteAliases remoteAliases,
            AppServices appServices,
            AppServiceQueries appServiceQueries,
            AppServiceRoomListStore appServiceLists) {
        this.appServices = appServices;
        this.appServiceQueries = appServiceQueries;
        this.events = events;
        this.appServiceLists = appServiceLists;
        this.remoteAliases = remoteAliases;
        this.aliasStore = aliasStore;
        this.stateStore = stateStore;
        this.roomStore = roomStore;
        this.state = state;
        this.visibility = visibility;
        this.serverName = serverName;
    }

    /** A resolved alias: the room and servers that can help to join it. */
    public record Resolved(RoomId room, List<String> servers) {}

    /** A page of the public room list. */
    public record PublicRooms(
            List<PublicRoom> chunk, long total, Optional<String> nextBatch, Optional<String> prevBatch) {}

    public static RoomAlias parseAlias(String value) {
        try {
            return RoomAlias.parse(value);
        } catch (IllegalArgumentException e) {
            throw new MatrixException(400, ErrorCode.INVALID_PARAM, "Room alias invalid");
        }
    }

    /**
     * Maps {@code alias} to {@code room}. An application service ({@code appService}) may map the
     * aliases of its namespaces, also of rooms it is not in; others must be in the room, and may not
     * take an alias of a service's exclusive namespace.
     */
    public void createAlias(UserId user, Optional<String> appService, RoomAlias alias, RoomId room) {
        requireLocal(alias);
        state.requireRoom(room);
        if (appService.isPresent()) {
            boolean inNamespace = appServices
                    .byId(appService.get())
                    .filter(s -> s.aliases().stream().anyMatch(n -> n.matches(alias.toString())))
                    .isPresent();
            if (!inNamespace) {
                throw new MatrixException(
                        400, ErrorCode.EXCLUSIVE, "This application service has not reserved this kind of alias");
            }
        } else {
            if (appServices.exclusiveOwnerOfAlias(alias.toString()).isPresent()) {
                throw new MatrixException(400, ErrorCode.EXCLUSIVE, "This alias is reserved by an application service");
            }
            if (!state.isJoined(room, user)) {
                throw MatrixException.forbidden("You must be in the room to create an alias for it");
            }
        }
        if (!aliasStore.create(alias, room, user)) {
            throw new MatrixException(409, ErrorCode.UNKNOWN, "Room alias " + alias + " already exists");
        }
    }

    /** The room {@code alias} names: one of this server's from the database, another's from its server. */
    public Resolved resolve(RoomAlias alias) {
        return alias.server().equals(serverName) ? resolveLocal(alias) : remoteAliases.resolve(alias);
    }

    /**
     * The room {@code alias}, one of this server's, names, with this server and the servers of the room's
     * joined members.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} for another server's alias, 404 {@code M_NOT_FOUND}
     *     for an unknown one
     */
    public Resolved resolveLocal(RoomAlias alias) {
        requireLocal(alias);
        RoomId room = appServiceQueries
                .resolveAlias(alias, aliasStore::resolve)
                .orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found"));
        Set<String> servers = new LinkedHashSet<>();
        servers.add(serverName.toString());
        stateStore.joinedMembers(room).forEach(u -> servers.add(u.server().toString()));
        return new Resolved(room, List.copyOf(servers));
    }

    public void deleteAlias(UserId user, RoomAlias alias) {
        RoomId room = aliasStore
                .resolve(alias)
                .orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found"));
        boolean creator = aliasStore.creator(alias).filter(user::equals).isPresent();
        if (!creator && !canChangeRoomList(user, room)) {
            throw MatrixException.forbidden("You don't have permission to delete the alias.");
        }
        aliasStore.delete(alias);
        removeFromCanonicalAlias(user, room, alias);
    }

    /**
     * Takes a deleted alias out of the room's {@code m.room.canonical_alias}, as Synapse does, so
     * the room does not advertise an alias that no longer leads to it. The event is sent as the
     * user who deleted the alias; when they lack the power to send it (an alias's creator may
     * delete it without), the deletion stands and the event keeps the alias.
     */
    private void removeFromCanonicalAlias(UserId user, RoomId room, RoomAlias alias) {
        Optional<StoredEvent> current = state.currentEvent(room, CanonicalAliasCheck.TYPE, "");
        if (current.isEmpty()) {
            return;
        }
        ObjectNode content = current.get().pdu().content().deepCopy();
        boolean changed = false;
        if (content.path("alias").asText("").equals(alias.toString())) {
            content.remove("alias");
            changed = true;
        }
        if (content.get("alt_aliases") instanceof ArrayNode alt) {
            ArrayNode kept = alt.arrayNode();
            alt.forEach(entry -> {
                if (!entry.asText("").equals(alias.toString())) {
                    kept.add(entry);
                }
            });
            if (kept.size() != alt.size()) {
                changed = true;
                if (kept.isEmpty()) {
                    content.remove("alt_aliases");
                } else {
                    content.set("alt_aliases", kept);
                }
            }
        }
        if (!changed) {
            return;
        }
        try {
            events.create(EventRequest.state(room, user, CanonicalAliasCheck.TYPE, "", content));
        } catch (MatrixException e) {
            LOG.info(
                    "could not take the deleted alias {} out of the canonical alias of {}: {}",
                    alias,
                    room,
                    e.getMessage());
        }
    }

    /** The local aliases of a room; its members (or anyone, when world_readable) only. */
    public List<RoomAlias> aliases(UserId user, RoomId room) {
        state.requireRoom(room);
        if (!state.isJoined(room, user) && !visibility.isWorldReadable(room)) {
            throw MatrixException.forbidden("You are not in the room");
        }
        return aliasStore.aliasesFor(room);
    }

    public boolean isListed(RoomId room) {
        return state.requireRoom(room).isPublic();
    }

    public void setListed(UserId user, RoomId room, boolean listed) {
        state.requireRoom(room);
        if (!canChangeRoomList(user, room)) {
            throw MatrixException.forbidden(
                    "This server requires you to be a moderator in the room to edit its " + "room list entry");
        }
        roomStore.setPublic(room, listed);
    }

    /**
     * Publishes ({@code listed}) or withdraws {@code room} in application service {@code
     * appServiceId}'s list for network {@code networkId}; the room must exist. The service may
     * list any room: the list is its own, and the room's moderators' main list is not touched.
     */
    public void setListedByAppService(String appServiceId, String networkId, RoomId room, boolean listed) {
        state.requireRoom(room);
        AppServiceRoomListStore.Network network = new AppServiceRoomListStore.Network(appServiceId, networkId);
        if (listed) {
            appServiceLists.add(network, room.value());
        } else {
            appServiceLists.remove(network, room.value());
        }
    }

    /**
     * The listed rooms, biggest first, matching {@code searchTerm} (case-insensitively, in the name,
     * topic or canonical alias) and {@code roomTypes} (null in it meaning rooms without a type).
     * {@code since} is a token from an earlier page: {@code o<offset>}.
     */
    public PublicRooms publicRooms(
            Optional<Integer> limit,
            Optional<String> since,
            Optional<String> searchTerm,
            Optional<List<String>> roomTypes) {
        return publicRooms(limit, since, searchTerm, roomTypes, false, DirectoryList.MAIN);
    }

    /**
     * {@link #publicRooms(Optional, Optional, Optional, Optional)}; with {@code federatableOnly}
     * (for other servers) rooms created with {@code "m.federate": false} are left out, as Synapse
     * does: another server could not join them.
     */
    public PublicRooms publicRooms(
            Optional<Integer> limit,
            Optional<String> since,
            Optional<String> searchTerm,
            Optional<List<String>> roomTypes,
            boolean federatableOnly) {
        return publicRooms(limit, since, searchTerm, roomTypes, federatableOnly, DirectoryList.MAIN);
    }

    /**
     * {@link #publicRooms(Optional, Optional, Optional, Optional, boolean)} of {@code list}: the
     * main list, an application service's, or all of them.
     */
    public PublicRooms publicRooms(
            Optional<Integer> limit,
            Optional<String> since,
            Optional<String> searchTerm,
            Optional<List<String>> roomTypes,
            boolean federatableOnly,
            DirectoryList list) {
        int offset = since.map(RoomDirectoryHandler::offset).orElse(0);
        List<PublicRoom> all = new ArrayList<>();
        for (RoomId room : roomsOf(list)) {
            if (federatableOnly && !federatable(room)) {
                continue;
            }
            PublicRoom entry = entry(room);
            if (searchTerm.isPresent() && !matches(entry, searchTerm.get())) {
                continue;
            }
            if (roomTypes.isPresent() && !roomTypes.get().contains(entry.roomType())) {
                continue;
            }
            all.add(entry);
        }
        all.sort(Comparator.comparingLong((PublicRoom e) -> -e.numJoinedMembers())
                .thenComparing(PublicRoom::roomId));
        int size = Math.min(limit.orElse(MAX_LIMIT), MAX_LIMIT);
        int from = Math.min(offset, all.size());
        int to = Math.min(from + size, all.size());
        Optional<String> next = to < all.size() ? Optional.of("o" + to) : Optional.empty();
        Optional<String> prev = from > 0 ? Optional.of("o" + Math.max(0, from - size)) : Optional.empty();
        return new PublicRooms(List.copyOf(all.subList(from, to)), all.size(), next, prev);
    }

    private Set<RoomId> roomsOf(DirectoryList list) {
        Set<RoomId> rooms = new LinkedHashSet<>();
        if (list.network().isPresent()) {
            appServiceLists.rooms(list.network().get()).forEach(r -> rooms.add(RoomId.parse(r)));
            return rooms;
        }
        rooms.addAll(roomStore.publicRooms());
        if (list.allNetworks()) {
            appServiceLists.allRooms().forEach(r -> rooms.add(RoomId.parse(r)));
        }
        return rooms;
    }

    private boolean federatable(RoomId room) {
        return state.currentEvent(room, "m.room.create", "")
                .map(e -> !e.pdu().content().path("m.federate").isBoolean()
                        || e.pdu().content().path("m.federate").booleanValue())
                .orElse(true);
    }

    private PublicRoom entry(RoomId room) {
        Map<StateKey, StoredEvent> current = state.currentStateEvents(room);
        return new PublicRoom(
                room.value(),
                text(current, "m.room.name", "name").orElse(null),
                text(current, "m.room.topic", "topic").orElse(null),
                text(current, "m.room.canonical_alias", "alias").orElse(null),
                stateStore.joinedMemberCount(room),
                text(current, "m.room.history_visibility", "history_visibility")
                        .filter("world_readable"::equals)
                        .isPresent(),
                text(current, "m.room.guest_access", "guest_access")
                        .filter("can_join"::equals)
                        .isPresent(),
                text(current, "m.room.join_rules", "join_rule").orElse(null),
                text(current, "m.room.avatar", "url").orElse(null),
                text(current, "m.room.create", "type").orElse(null));
    }

    private static Optional<String> text(Map<StateKey, StoredEvent> current, String type, String field) {
        StoredEvent event = current.get(StateKey.of(type, ""));
        if (event == null || event.redactedBy().isPresent()) {
            return Optional.empty();
        }
        JsonNode value = event.pdu().content().get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    private static boolean matches(PublicRoom entry, String term) {
        String needle = term.toLowerCase(Locale.ROOT);
        return entry.searchableTexts()
                .anyMatch(text -> text.toLowerCase(Locale.ROOT).contains(needle));
    }

    private static int offset(String token) {
        if (token.matches("o\\d{1,9}")) {
            return Integer.parseInt(token.substring(1));
        }
        throw MatrixException.invalidParam("since", "malformed pagination token");
    }

    private boolean canChangeRoomList(UserId user, RoomId room) {
        if (!state.isJoined(room, user)) {
            return false;
        }
        PowerLevels levels = state.powerLevels(room);
        return levels.userLevel(user) >= levels.eventLevel("m.room.canonical_alias", true);
    }

    private void requireLocal(RoomAlias alias) {
        if (!alias.server().equals(serverName)) {
            throw MatrixException.invalidParam("room_alias", "Room alias must be local");
        }
    }
}
