package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PDUs of a {@code /send} transaction: each one of a room this server is in goes through the
 * checks on receipt (format, signatures, hashes, then the authorization rules against its auth
 * events, the state before it and the current state) and is stored accordingly: accepted events
 * join the room's timeline and state and reach clients; rejected ones are kept as rejected;
 * soft-failed ones are kept outside the timeline. PDUs of rooms this server is not in are
 * ignored, as the spec allows.
 *
 * <p>An event whose {@code prev_events} are not all known here cannot be placed yet: it is answered
 * with an error and not stored (fetching the missing events is not built yet).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>
 */
public final class InboundPdus {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPdus.class);

    private final ServerName self;
    private final RoomStore rooms;
    private final EventStore events;
    private final StateStore state;
    private final EventCreator creator;
    private final ReceivedEvents received;
    private final RoomServerAcls acls;

    public InboundPdus(
            ServerName self,
            RoomStore rooms,
            EventStore events,
            StateStore state,
            EventCreator creator,
            ReceivedEvents received,
            RoomServerAcls acls) {
        this.self = self;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.creator = creator;
        this.received = received;
        this.acls = acls;
    }

    /** Processes {@code pdus} from {@code origin} in order; the answer's {@code pdus} object. */
    public ObjectNode receive(ServerName origin, JsonNode pdus) {
        ObjectNode results = JsonNodeFactory.instance.objectNode();
        List<ObjectNode> ours = new ArrayList<>();
        Map<ObjectNode, RoomVersion> versions = new LinkedHashMap<>();
        for (JsonNode pdu : pdus) {
            if (!(pdu instanceof ObjectNode json) || !json.path("room_id").isTextual()) {
                continue;
            }
            Optional<RoomVersion> version = roomWeAreIn(json.get("room_id").asText());
            if (version.isPresent()) {
                ours.add(json);
                versions.put(json, version.get());
            }
        }
        if (ours.isEmpty()) {
            return results;
        }
        KeyLookup keys = received.keysFor(ours);
        for (ObjectNode json : ours) {
            RoomVersion version = versions.get(json);
            PduVerdict verified = received.verify(json, version, keys);
            if (!(verified instanceof PduVerdict.Accepted accepted)) {
                String reason = verified instanceof PduVerdict.Dropped d ? d.reason() : String.valueOf(verified);
                LOG.info("PDU from {} dropped: {}", origin, reason);
                continue;
            }
            Pdu event = accepted.event();
            Optional<String> error =
                    acls.allows(event.roomId(), origin) ? process(event) : Optional.of("Server is banned from room");
            ObjectNode result = results.putObject(event.eventId().value());
            error.ifPresent(e -> result.put("error", e));
        }
        return results;
    }

    /** Stores one checked event; an error for the answer when it could not be placed. */
    private Optional<String> process(Pdu event) {
        RoomId room = event.roomId();
        return creator.withRoomLocked(room, () -> {
            if (events.exists(event.eventId())) {
                return Optional.empty();
            }
            Optional<Map<StateKey, EventId>> before = received.stateBefore(event.version(), event.prevEventIds());
            if (before.isEmpty()) {
                LOG.info("PDU {} of {} not placed: some of its prev_events are not known here", event.eventId(), room);
                return Optional.of("prev_events not known here");
            }
            PduVerdict verdict = received.authorize(event, before.get(), state.currentState(room));
            EventContext context = event.prevEventIds().size() == 1
                    ? EventContext.normal()
                    : EventContext.withStateBefore(before.get());
            switch (verdict) {
                case PduVerdict.Accepted ok -> creator.persistReceived(event, context);
                case PduVerdict.Rejected rejected -> {
                    LOG.info("PDU {} rejected: {}", event.eventId(), rejected.reason());
                    creator.persistQuietly(event, EventContext.rejected(rejected.reason()));
                    return Optional.of("rejected: " + rejected.reason());
                }
                case PduVerdict.SoftFailed softFailed -> {
                    // kept, but neither in the timeline nor in the current state
                    LOG.info("PDU {} soft-failed: {}", event.eventId(), softFailed.reason());
                    creator.persistQuietly(event, EventContext.outlierEvent());
                }
                case PduVerdict.Dropped dropped -> {
                    return Optional.of(dropped.reason());
                }
            }
            return Optional.empty();
        });
    }

    /** The version of {@code roomId} when this server is in it (one of its users is joined). */
    private Optional<RoomVersion> roomWeAreIn(String roomId) {
        RoomId room;
        try {
            room = RoomId.parse(roomId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<Room> known = rooms.get(room);
        if (known.isEmpty()
                || state.joinedMembers(room).stream().noneMatch(u -> u.server().equals(self))) {
            return Optional.empty();
        }
        return known.get().version();
    }
}
