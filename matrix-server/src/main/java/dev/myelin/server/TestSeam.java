package dev.myelin.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.AuthEventSelection;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.federation.keys.FetchedKeyResponse;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.Router;
import dev.myelin.server.handler.federation.StoredFetchedKeys;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.NotificationCounts;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.device.ToDeviceMessage;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.media.MediaStore;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.room.ReportStore;
import dev.myelin.storage.serverkeys.ServerKeyStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deliberately small seam for the homeserver's own tests, not an API: the few things a test
 * needs that the HTTP API cannot do or show (an event made without the client endpoints' extra
 * content, rows that no endpoint returns). Everything else a test
 * does goes through HTTP. Methods are added here only when HTTP truly cannot express the check,
 * and each does one narrow thing.
 */
public final class TestSeam {
    /** Enough for any one device's queue in a test. */
    private static final int MAX_PENDING_TO_DEVICE = 1000;

    private final Database database;
    private final EventCreator events;
    private final NotificationCounter notificationCounter;
    private final EventStore eventStore;
    private final StateStore state;
    private final UserStore users;
    private final DeviceStore devices;
    private final ReportStore reports;
    private final ToDeviceStore toDevice;
    private final MediaStore media;
    private final ServerKeyStore serverKeys;
    private final TransactionSender federation;
    private final Router router;
    private final EventPersister persister;

    TestSeam(
            EventCreator events,
            NotificationCounter notificationCounter,
            EventStore eventStore,
            StateStore state,
            UserStore users,
            DeviceStore devices,
            ReportStore reports,
            ToDeviceStore toDevice,
            MediaStore media,
            ServerKeyStore serverKeys,
            TransactionSender federation,
            Router router,
            EventPersister persister,
            Database database) {
        this.persister = persister;
        this.database = database;
        this.events = events;
        this.notificationCounter = notificationCounter;
        this.eventStore = eventStore;
        this.state = state;
        this.users = users;
        this.devices = devices;
        this.reports = reports;
        this.toDevice = toDevice;
        this.media = media;
        this.serverKeys = serverKeys;
        this.federation = federation;
        this.router = router;
    }

    /**
     * How many read transactions the server has run so far: tests of the caches check that a request
     * the caches should answer reads no more than it must.
     */
    public long databaseReadTransactions() {
        return database.readTransactions();
    }

    /** How many PDUs and EDUs wait in the transaction queue for {@code destination}. */
    public int queuedForFederation(ServerName destination) {
        return federation.pending(destination);
    }

    /**
     * Queues {@code edu} for {@code destination} as this server's own: tests make a real server send
     * what a faulty or hostile one would (a malformed EDU, a skipped update, another server's user).
     */
    public void sendEdu(ServerName destination, ObjectNode edu) {
        federation.sendEdu(destination, edu);
    }

    /**
     * Keeps {@code signedResponse}, a server's {@code /_matrix/key/v2/server} answer, as if fetched
     * from it at {@code fetchedTs}: tests of signed federation requests and of the notary have no
     * remote server over TLS to fetch from.
     */
    public void rememberServerKeys(ObjectNode signedResponse, long fetchedTs) {
        ServerKeys keys = ServerKeys.parse(
                signedResponse,
                ServerName.parse(signedResponse.path("server_name").asText()));
        new StoredFetchedKeys(serverKeys).save(new FetchedKeyResponse(keys, signedResponse, fetchedTs));
    }

    /**
     * Marks {@code event} (of {@code room}) as one of the room's forward extremities again, as a fork
     * of the room's history leaves it (two servers sending at once): for tests of trimming them.
     */
    public void addForwardExtremity(RoomId room, EventId event) {
        database.update(tx -> tx.dsl()
                .insertInto(org.jooq.impl.DSL.table(org.jooq.impl.DSL.name("event_forward_extremities")))
                .columns(
                        org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("room_id")),
                        org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("event_id")))
                .values(room.value(), event.value())
                .execute());
    }

    /** The tables keyed by a room id, whose rows a purged room must leave none of. */
    private static final List<String> ROOM_TABLES = List.of(
            "rooms",
            "room_stats",
            "events",
            "event_edges",
            "event_relations",
            "event_search",
            "event_forward_extremities",
            "event_backward_extremities",
            "current_state_events",
            "state_groups",
            "receipts",
            "room_aliases",
            "notifications",
            "forgotten_rooms",
            "room_tags",
            "account_data",
            "event_reports",
            "federation_outbox",
            "server_notice_rooms");

    /** How many rows each table keyed by a room id holds for {@code room} (only tables with some). */
    public Map<String, Integer> roomRows(RoomId room) {
        return database.read(tx -> {
            Map<String, Integer> out = new java.util.TreeMap<>();
            for (String table : ROOM_TABLES) {
                int n = tx.dsl()
                        .fetchCount(
                                org.jooq.impl.DSL.table(org.jooq.impl.DSL.name(table)),
                                org.jooq
                                        .impl
                                        .DSL
                                        .field(org.jooq.impl.DSL.name("room_id"))
                                        .eq(room.value()));
                if (n > 0) {
                    out.put(table, n);
                }
            }
            return out;
        });
    }

    /** Creates, authorises and persists an event exactly as the event creator behind every endpoint does. */
    public StoredEvent createEvent(EventRequest request) {
        return events.create(request);
    }

    /**
     * Creates, authorises and persists an event of another server's user, signed by that server
     * with {@code key}: how a test puts another server in a room (its user's join) before that
     * server could join over federation.
     */
    public StoredEvent createRemoteEvent(EventRequest request, SigningKey key) {
        return events.createSignedBy(request, key);
    }

    /**
     * Persists a member event of {@code user}, another server's user, in {@code room} as that
     * server would have made it (signed with a key made up here), on top of the room's current
     * extremities: a room shared with another server's users, without a join over federation.
     */
    public StoredEvent persistRemoteMembership(RoomId room, UserId user, String membership) {
        RoomVersion version = events.roomVersion(room);
        List<EventId> prevs =
                eventStore.forwardExtremities(room).stream().sorted().toList();
        long depth = eventStore.getAll(prevs).values().stream()
                        .mapToLong(e -> e.pdu().depth())
                        .max()
                        .orElse(0)
                + 1;
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership);
        Map<StateKey, EventId> current = state.currentState(room);
        List<EventId> auth = new ArrayList<>();
        for (StateTuple key : AuthEventSelection.select("m.room.member", user.toString(), user, content, version)) {
            EventId id = current.get(StateKey.of(key.type(), key.stateKey()));
            if (id != null) {
                auth.add(id);
            }
        }
        Pdu event = PduBuilder.forVersion(version)
                .roomId(room)
                .sender(user)
                .type("m.room.member")
                .stateKey(user.toString())
                .content(content)
                .prevEvents(prevs)
                .authEvents(auth)
                .depth(depth)
                .originServerTs(eventStore.getAll(prevs).values().stream()
                                .mapToLong(e -> e.pdu().originServerTs())
                                .max()
                                .orElse(0)
                        + 1)
                .build(user.server(), SigningKey.generate("test"));
        persister.persist(event);
        return eventStore.get(event.eventId()).orElseThrow();
    }

    /** A stored event, with its position in the room. */
    public Optional<StoredEvent> event(EventId id) {
        return eventStore.get(id);
    }

    /** The room's current state event for {@code type} and {@code stateKey}, whoever may see it. */
    public Optional<StoredEvent> stateEvent(RoomId room, String type, String stateKey) {
        return state.currentStateEvent(room, StateKey.of(type, stateKey)).flatMap(eventStore::get);
    }

    /**
     * The room's whole current state, by key, whoever may see it (empty for a room this server
     * does not know): what servers of a test federation are compared on to see that they agree.
     */
    public Map<StateKey, EventId> currentState(RoomId room) {
        return state.currentState(room);
    }

    /** The unread notification and highlight counts of {@code user} in {@code room}. */
    public NotificationCounts notificationCounts(UserId user, RoomId room) {
        return notificationCounter.counts(user, room);
    }

    /** The stored account, deactivated ones included. */
    public Optional<UserAccount> account(UserId user) {
        return users.get(user);
    }

    /** The stored devices of {@code user}. */
    public List<Device> devices(UserId user) {
        return devices.list(user);
    }

    /** Content reports received about {@code room}, oldest first. */
    public List<ReportStore.Report> reports(RoomId room) {
        return reports.forRoom(room);
    }

    /** The to-device messages stored for a device and not yet acknowledged by a sync. */
    public List<ToDeviceMessage> pendingToDevice(UserId user, DeviceId device) {
        return toDevice.pending(user, device, 0, MAX_PENDING_TO_DEVICE);
    }

    /**
     * The media store, for the rows the media endpoints never list (uploads by a user, stored
     * thumbnails) and for recording media as a server before authenticated media would have.
     */
    public MediaStore media() {
        return media;
    }

    /**
     * Every endpoint registered on the homeserver's router, so a test can drive each one without
     * keeping its own list (a newly added endpoint is then covered automatically).
     */
    public List<Endpoint> endpoints() {
        return router.endpoints();
    }
}
