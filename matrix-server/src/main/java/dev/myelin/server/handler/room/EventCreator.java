package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.auth.AuthEventSelection;
import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.AuthState;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.EventTooLargeException;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.event.PduLimits;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.json.CanonicalJsonException;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.persist.PersistedEvent;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Creates, authorises and persists events that local users send: picks the room's forward
 * extremities as prev events, cites the auth events the room version requires, signs, runs the
 * core auth rules against the current state, and persists the event with its state in one
 * transaction. Events of one room are created one at a time, so two concurrent sends never fork
 * the room's DAG.
 *
 * <p>Every event a local user causes passes here, so here is where what the client chose is held
 * to what every server accepts: content that canonical JSON can represent (400 {@code M_BAD_JSON}
 * naming the value) and the PDU size limits (413 {@code M_TOO_LARGE}), both before anything is
 * stored.
 */
public final class EventCreator {
    /** Bounds prev_events: many extremities are merged a few at a time. */
    private static final int MAX_PREV_EVENTS = 10;
    /** The most auth events any event cites: create, power levels, join rules, two memberships, a third-party invite. */
    private static final int MAX_AUTH_EVENTS = 6;

    private final RoomStore rooms;
    private final EventStore eventStore;
    private final StateStore stateStore;
    private final EventPersister persister;
    private final Clock clock;
    private final ServerName serverName;
    private final SigningKey signingKey;
    private final NewEventListener listener;
    private final EventWriters writers;
    private final Linearizer roomLock = new Linearizer("event-creation");

    public EventCreator(
            RoomStore rooms,
            EventStore eventStore,
            StateStore stateStore,
            EventPersister persister,
            Clock clock,
            ServerName serverName,
            SigningKey signingKey,
            NewEventListener listener) {
        this(rooms, eventStore, stateStore, persister, clock, serverName, signingKey, listener, EventWriters.HERE);
    }

    /** A creator that has {@code writers} create the events of rooms another process writes. */
    public EventCreator(
            RoomStore rooms,
            EventStore eventStore,
            StateStore stateStore,
            EventPersister persister,
            Clock clock,
            ServerName serverName,
            SigningKey signingKey,
            NewEventListener listener,
            EventWriters writers) {
        this.writers = writers;
        this.rooms = rooms;
        this.eventStore = eventStore;
        this.stateStore = stateStore;
        this.persister = persister;
        this.clock = clock;
        this.serverName = serverName;
        this.signingKey = signingKey;
        this.listener = listener;
    }

    /** The version of a room this server knows and can process; M_NOT_FOUND otherwise. */
    public RoomVersion roomVersion(RoomId room) {
        Room stored = rooms.get(room).orElseThrow(() -> MatrixException.notFound("Unknown room " + room));
        return stored.version()
                .orElseThrow(() -> new MatrixException(
                        400,
                        ErrorCode.UNSUPPORTED_ROOM_VERSION,
                        "Room version " + stored.versionId() + " is not supported"));
    }

    /** Creates and persists one event; M_FORBIDDEN when the auth rules reject it. */
    public StoredEvent create(EventRequest request) {
        Optional<String> writer = writers.writerElsewhere(request.roomId());
        if (writer.isPresent()) {
            return createdThere(writer.get(), request.roomId(), List.of(request))
                    .get(0);
        }
        try (Linearizer.Permit ignored = roomLock.acquire(request.roomId())) {
            return createLocked(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while creating an event");
        }
    }

    /** Creates several events in order, e.g. the initial state of a new room. */
    public List<StoredEvent> createAll(RoomId room, List<EventRequest> requests) {
        Optional<String> writer = writers.writerElsewhere(room);
        if (writer.isPresent()) {
            return createdThere(writer.get(), room, requests);
        }
        return createHere(room, requests);
    }

    /**
     * {@link #createAll} in this process, whichever process writes the room: for another process of
     * this homeserver that asks this one to.
     */
    public List<StoredEvent> createHere(RoomId room, List<EventRequest> requests) {
        try (Linearizer.Permit ignored = roomLock.acquire(room)) {
            List<StoredEvent> created = new ArrayList<>();
            for (EventRequest request : requests) {
                created.add(createLocked(request));
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while creating events");
        }
    }

    /**
     * Persists a create event for a new room: it has no edges and no auth events, and for room
     * version 12 its own hash names the room.
     */
    public StoredEvent createRoomEvent(Pdu createEvent) {
        return persistAndNotify(createEvent);
    }

    /**
     * Creates and persists an event of a user of another server, signed by that server with
     * {@code key}, as if it had been received from it. For the homeserver's tests: it puts another
     * server's user into a room without a join over federation.
     */
    public StoredEvent createSignedBy(EventRequest request, SigningKey key) {
        try (Linearizer.Permit ignored = roomLock.acquire(request.roomId())) {
            Pdu event = buildLocked(request, request.sender().server(), key);
            return persistAndNotify(event, contextOf(request, event));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while creating an event");
        }
    }

    /** Builds a signed create event for {@code version}. */
    public Pdu buildCreateEvent(
            RoomVersion version,
            Optional<RoomId> roomId,
            dev.myelin.core.id.UserId creator,
            com.fasterxml.jackson.databind.node.ObjectNode content) {
        checkContent(content);
        PduBuilder builder = PduBuilder.forVersion(version)
                .sender(creator)
                .type("m.room.create")
                .stateKey("")
                .content(content)
                .prevEvents(List.of())
                .authEvents(List.of())
                .depth(1)
                .originServerTs(clock.nowMillis());
        roomId.ifPresent(builder::roomId);
        return build(builder);
    }

    /**
     * Checks, before a new room exists, that each of its first events will be accepted: content
     * canonical JSON can represent, and an event within the size limits once it cites the create
     * event and as many auth events as any event can. Room creation calls this before it stores
     * anything, so a room is never left half made by a bad {@code initial_state}.
     *
     * @throws MatrixException 400 {@code M_BAD_JSON} or 413 {@code M_TOO_LARGE}
     */
    public void checkInitialEvents(Pdu createEvent, List<EventRequest> requests) {
        List<EventId> createOnly = List.of(createEvent.eventId());
        // An event cites at most create, power levels, join rules, sender's and target's
        // membership; each id as long as the create event's, the ids this server makes.
        List<EventId> authEvents = Collections.nCopies(MAX_AUTH_EVENTS, createEvent.eventId());
        for (EventRequest request : requests) {
            checkRequest(request);
            PduBuilder builder = PduBuilder.forVersion(createEvent.version())
                    .roomId(createEvent.roomId())
                    .sender(request.sender())
                    .type(request.type())
                    .content(request.content())
                    .prevEvents(createOnly)
                    .authEvents(authEvents)
                    .depth(requests.size() + 1L)
                    .originServerTs(clock.nowMillis());
            request.stateKey().ifPresent(builder::stateKey);
            request.redacts().ifPresent(builder::redacts);
            build(builder);
        }
    }

    private Pdu build(PduBuilder builder) {
        return build(builder, serverName, signingKey);
    }

    private static Pdu build(PduBuilder builder, ServerName origin, SigningKey key) {
        try {
            return builder.build(origin, key);
        } catch (EventTooLargeException e) {
            throw new MatrixException(413, ErrorCode.TOO_LARGE, "Event too large: " + e.getMessage());
        }
    }

    private static void checkRequest(EventRequest request) {
        try {
            PduLimits.checkKeys(request.type(), request.stateKey().orElse(null));
        } catch (EventTooLargeException e) {
            throw new MatrixException(413, ErrorCode.TOO_LARGE, "Event too large: " + e.getMessage());
        }
        checkContent(request.content());
        if (request.type().equals("m.room.tombstone")
                && request.content()
                        .path("replacement_room")
                        .asText("")
                        .equals(request.roomId().value())) {
            // a room replaced by itself would send clients following the tombstone round in a circle
            throw MatrixException.badJson("A tombstone cannot name its own room as the replacement room");
        }
    }

    private static void checkContent(JsonNode content) {
        try {
            CanonicalJson.checkValue(content, "content");
        } catch (CanonicalJsonException e) {
            throw MatrixException.badJson(e.getMessage());
        }
    }

    /**
     * Creates {@code request}'s event, running {@code beforePersisting} with its id after the event
     * is built and authorised and before it is persisted, while no other event of its room can be
     * created. A room upgrade uses this: the replacement room's create event names the tombstone
     * that is sent into the old room only once the replacement exists. When {@code
     * beforePersisting} throws, the event is not persisted.
     */
    public StoredEvent createAfter(EventRequest request, Consumer<EventId> beforePersisting) {
        try (Linearizer.Permit ignored = roomLock.acquire(request.roomId())) {
            Pdu event = buildLocked(request);
            beforePersisting.accept(event.eventId());
            return persistAndNotify(event, contextOf(request, event));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while creating an event");
        }
    }

    /**
     * Builds, signs and authorises {@code request}'s event against the room's current state without
     * persisting it: the template a {@code make_join} answers with, which the joining server
     * completes and signs itself.
     *
     * @throws MatrixException 403 {@code M_FORBIDDEN} when the auth rules would reject it
     */
    public Pdu buildWithoutPersisting(EventRequest request) {
        // another server's user's event is signed by that server; a key of the moment stands in
        SigningKey standIn =
                request.sender().server().equals(serverName) ? signingKey : SigningKey.generate("template");
        return withRoomLocked(
                request.roomId(), () -> buildLocked(request, request.sender().server(), standIn));
    }

    /**
     * Runs {@code action} while no other event of {@code room} is created or received, so that an
     * event from another server is checked against, and persisted onto, a state nothing else
     * changes meanwhile.
     */
    public <T> T withRoomLocked(RoomId room, Supplier<T> action) {
        try (Linearizer.Permit ignored = roomLock.acquire(room)) {
            return action.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while waiting for the room");
        }
    }

    /**
     * Persists an event another server made, which the caller checked (holding {@link
     * #withRoomLocked} for an event in the room's timeline), and announces it like a local one:
     * clients' syncs, push, and other servers.
     */
    public StoredEvent persistReceived(Pdu event, EventContext context) {
        return persistAndNotify(event, context);
    }

    /**
     * Stores an event another server sent without announcing it: a rejected event (kept so it is
     * not fetched again, changing nothing), a soft-failed one, or one of the room's older history
     * (backfilled: clients see it when they paginate back, not as news).
     */
    public void persistQuietly(Pdu event, EventContext context) {
        persister.persist(event, context);
    }

    /**
     * Stores events another server sent as outliers: kept and findable by id (the state and auth
     * chain of a room joined over federation), without a place in the timeline or state of their
     * own, and without telling anyone.
     */
    public void persistOutliers(Collection<Pdu> events) {
        for (Pdu event : events) {
            persister.persist(event, EventContext.outlierEvent());
        }
    }

    /**
     * Creates {@code request}'s event and persists the version {@code exchange} returns for it,
     * which must be the same event (its id unchanged), e.g. with another server's signature added:
     * an invite of another server's user is persisted only once that server signed it. Runs while
     * no other event of the room can be created, so the event's prev events stay the room's
     * extremities; when {@code exchange} throws, nothing is persisted.
     */
    public StoredEvent createExchanged(EventRequest request, UnaryOperator<Pdu> exchange) {
        try (Linearizer.Permit ignored = roomLock.acquire(request.roomId())) {
            Pdu built = buildLocked(request);
            Pdu exchanged = exchange.apply(built);
            if (!exchanged.eventId().equals(built.eventId())) {
                throw new IllegalStateException("the exchanged event is another event: " + exchanged.eventId());
            }
            return persistAndNotify(exchanged, contextOf(request, exchanged));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while creating an event");
        }
    }

    private List<StoredEvent> createdThere(String writer, RoomId room, List<EventRequest> requests) {
        List<EventId> ids = writers.createThere(writer, room, requests);
        Map<EventId, StoredEvent> found = eventStore.getAll(ids);
        List<StoredEvent> out = new ArrayList<>(ids.size());
        for (EventId id : ids) {
            StoredEvent event = found.get(id);
            if (event == null) {
                throw new IllegalStateException("event " + id + " created by " + writer + " is not stored");
            }
            out.add(event);
        }
        return out;
    }

    private StoredEvent createLocked(EventRequest request) {
        Pdu event = buildLocked(request);
        return persistAndNotify(event, contextOf(request, event));
    }

    private EventContext contextOf(EventRequest request, Pdu event) {
        EventContext context = event.prevEventIds().size() > 1
                // prev events on branches with different states: the state it was authorised against
                ? EventContext.withStateBefore(stateStore.currentState(request.roomId()))
                : EventContext.normal();
        return request.transaction().map(context::withClientTransaction).orElse(context);
    }

    /** Builds, signs and authorises the event against the room's current state. */
    private Pdu buildLocked(EventRequest request) {
        return buildLocked(request, serverName, signingKey);
    }

    private Pdu buildLocked(EventRequest request, ServerName origin, SigningKey signer) {
        checkRequest(request);
        RoomVersion version = roomVersion(request.roomId());
        EventStore events = eventStore;
        List<EventId> prevs = events.forwardExtremities(request.roomId()).stream()
                .sorted()
                .limit(MAX_PREV_EVENTS)
                .toList();
        Map<EventId, StoredEvent> prevEvents = events.getAll(prevs);
        long depth = prevEvents.values().stream()
                        .mapToLong(e -> e.pdu().depth())
                        .max()
                        .orElse(0)
                + 1;

        Map<StateKey, EventId> current = stateStore.currentState(request.roomId());
        List<StateTuple> needed = AuthEventSelection.select(
                request.type(), request.stateKey().orElse(null), request.sender(), request.content(), version);
        List<EventId> authIds = new ArrayList<>();
        for (StateTuple key : needed) {
            EventId id = current.get(StateKey.of(key.type(), key.stateKey()));
            if (id != null) {
                authIds.add(id);
            }
        }
        EventId createId = current.get(StateKey.of("m.room.create", ""));
        if (createId == null) {
            throw MatrixException.notFound("Room " + request.roomId() + " has no create event");
        }
        List<EventId> lookup = new ArrayList<>(authIds);
        if (!lookup.contains(createId)) {
            lookup.add(createId);
        }
        Collection<Pdu> authState =
                events.getAll(lookup).values().stream().map(StoredEvent::pdu).collect(Collectors.toList());

        PduBuilder builder = PduBuilder.forVersion(version)
                .roomId(request.roomId())
                .sender(request.sender())
                .type(request.type())
                .content(request.content())
                .prevEvents(prevs)
                .authEvents(authIds)
                .depth(depth)
                .originServerTs(request.originServerTs().orElseGet(clock::nowMillis));
        request.stateKey().ifPresent(builder::stateKey);
        request.redacts().ifPresent(builder::redacts);
        Pdu event = build(builder, origin, signer);

        AuthResult result = EventAuthorizer.check(event, AuthState.of(authState));
        if (result instanceof AuthResult.Rejected rejected) {
            throw MatrixException.forbidden(rejected.reason());
        }
        return event;
    }

    private StoredEvent persistAndNotify(Pdu event) {
        return persistAndNotify(event, EventContext.normal());
    }

    /**
     * Persists and announces {@code event}; when its client transaction turns out to have produced
     * an event already (another process won a race for it), that event is returned and nothing is
     * announced.
     */
    private StoredEvent persistAndNotify(Pdu event, EventContext context) {
        PersistedEvent persisted = persister.persist(event, context);
        StoredEvent stored = eventStore
                .get(persisted.eventId())
                .orElseThrow(
                        () -> new IllegalStateException("event vanished after persisting: " + persisted.eventId()));
        if (!persisted.alreadyKnown()) {
            listener.onNewEvent(event, persisted.streamOrdering());
        }
        return stored;
    }
}
