package dev.myelin.server.api.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.replication.ReplicationSecret;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.event.StoredEvent;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_synapse/replication/send_events}: another process of this homeserver asks the
 * process that writes a room's events to create and persist events of local users there, in order,
 * under the room's lock, exactly as if a client of this process had asked. Answers their ids, or the
 * Matrix error creating them gave (forwarded to the client as it is).
 *
 * <p>Only the homeserver's own processes may call it: {@code Authorization: Bearer
 * <worker_replication_secret>}.
 */
public final class SendEventsEndpoint extends JsonEndpoint<SendEventsEndpoint.Request, SendEventsEndpoint.Response> {
    /** The endpoint's definition, shared with the calling process. */
    public static final EndpointSpec<Request, Response> SPEC = EndpointSpec.post(
                    "/_synapse/replication/send_events", Request.class, Response.class)
            .noAuth();

    /**
     * @param roomId the room, which this process writes
     * @param events what to create, in order
     */
    public record Request(String roomId, List<Event> events) {}

    /**
     * One event to create: {@link EventRequest} on the wire.
     *
     * @param transaction the client transaction it is sent in, if any
     */
    public record Event(
            String sender,
            String type,
            @Nullable String stateKey,
            ObjectNode content,
            @Nullable String redacts,
            @Nullable Transaction transaction) {}

    /** A {@link ClientTransaction} on the wire. */
    public record Transaction(
            String key, String userId, @Nullable String deviceId, String txnId, long atMs) {}

    /**
     * @param eventIds the events created (or found already created by the same client transaction)
     * @param streamPosition the events stream position the caller waits for before it answers its
     *     client, so that the client reads its own writes there
     */
    public record Response(List<String> eventIds, long streamPosition) {}

    private final EventCreator creator;
    private final ReplicationSecret secret;

    public SendEventsEndpoint(EventCreator creator, ReplicationSecret secret) {
        super(SPEC);
        this.creator = creator;
        this.secret = secret;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        secret.check(request);
        RoomId room = parseRoom(EndpointJson.required(body.roomId(), "room_id"));
        List<Event> events = EndpointJson.required(body.events(), "events");
        if (events.isEmpty()) {
            throw MatrixException.badJson("events must not be empty");
        }
        List<EventRequest> requests =
                events.stream().map(e -> toRequest(room, e)).toList();
        List<StoredEvent> created = creator.createHere(room, requests);
        long position =
                created.stream().mapToLong(StoredEvent::streamOrdering).max().orElse(0);
        return new Response(created.stream().map(e -> e.eventId().value()).toList(), position);
    }

    /** {@code requests} (all in {@code room}) as they go over the wire. */
    public static Request toWire(RoomId room, List<EventRequest> requests) {
        return new Request(
                room.value(),
                requests.stream()
                        .map(r -> new Event(
                                r.sender().toString(),
                                r.type(),
                                r.stateKey().orElse(null),
                                r.content(),
                                r.redacts().map(EventId::value).orElse(null),
                                r.transaction()
                                        .map(t -> new Transaction(
                                                t.key(),
                                                t.user().toString(),
                                                t.device().map(DeviceId::value).orElse(null),
                                                t.txnId(),
                                                t.atMs()))
                                        .orElse(null)))
                        .toList());
    }

    private static EventRequest toRequest(RoomId room, Event e) {
        try {
            Optional<ClientTransaction> txn = Optional.ofNullable(e.transaction())
                    .map(t -> new ClientTransaction(
                            t.key(),
                            UserId.parse(t.userId()),
                            Optional.ofNullable(t.deviceId()).map(DeviceId::new),
                            t.txnId(),
                            t.atMs()));
            return new EventRequest(
                    room,
                    UserId.parse(EndpointJson.required(e.sender(), "sender")),
                    EndpointJson.required(e.type(), "type"),
                    Optional.ofNullable(e.stateKey()),
                    EndpointJson.required(e.content(), "content"),
                    Optional.ofNullable(e.redacts()).map(EventId::parse),
                    txn);
        } catch (IllegalArgumentException ex) {
            throw MatrixException.badJson("Bad event to create: " + ex.getMessage());
        }
    }

    private static RoomId parseRoom(String value) {
        try {
            return RoomId.parse(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("Bad room_id: " + e.getMessage());
        }
    }
}
