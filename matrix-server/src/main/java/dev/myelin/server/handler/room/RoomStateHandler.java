package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import java.util.Optional;

/**
 * Writes of room state and redactions by local users, through {@link EventCreator}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidstateeventtypestatekey">state</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#redactions">Redactions</a>
 */
public final class RoomStateHandler {
    private final EventStore eventStore;
    private final EventCreator events;
    private final RoomStateReader state;
    private final CanonicalAliasCheck canonicalAliases;

    public RoomStateHandler(
            EventStore eventStore, EventCreator events, RoomStateReader state, CanonicalAliasCheck canonicalAliases) {
        this.eventStore = eventStore;
        this.events = events;
        this.state = state;
        this.canonicalAliases = canonicalAliases;
    }

    /**
     * Sets one piece of state. When the same user already set the same content under that key, the
     * existing event is returned and nothing is sent, as Synapse does, so clients that re-send state
     * (e.g. on reconnect) do not fill the timeline. New {@code m.room.canonical_alias} content
     * is held to {@link CanonicalAliasCheck}.
     */
    public EventId setState(UserId sender, RoomId room, String type, String stateKey, ObjectNode content) {
        return setState(sender, room, type, stateKey, content, Optional.empty());
    }

    /**
     * As {@link #setState(UserId, RoomId, String, String, ObjectNode)}, a new event getting {@code
     * originServerTs} when given (an application service's timestamp massaging).
     */
    public EventId setState(
            UserId sender,
            RoomId room,
            String type,
            String stateKey,
            ObjectNode content,
            Optional<Long> originServerTs) {
        state.requireRoom(room);
        Optional<StoredEvent> current = state.currentEvent(room, type, stateKey);
        if (current.isPresent()
                && current.get().pdu().sender().equals(sender)
                && current.get().pdu().content().equals(content)) {
            return current.get().eventId();
        }
        if (type.equals(CanonicalAliasCheck.TYPE)) {
            canonicalAliases.check(
                    room, current.map(e -> e.pdu().content()).orElseGet(JsonNodeFactory.instance::objectNode), content);
        }
        return events.create(EventRequest.state(room, sender, type, stateKey, content)
                        .withOriginServerTs(originServerTs))
                .eventId();
    }

    /**
     * Redacts an event. The auth rules of room versions 3 and later accept any redaction and leave the
     * check to the moment it is applied, so it is made here: redacting someone else's event needs the
     * room's {@code redact} power level. A target this server does not know is still redacted when it
     * arrives (Synapse behaviour); a target in another room is 400 {@code M_INVALID_PARAM}.
     */
    public EventId redact(UserId sender, RoomId room, EventId target, Optional<String> reason) {
        return redact(sender, room, target, reason, Optional.empty());
    }

    /** As {@link #redact(UserId, RoomId, EventId, Optional)}, sent in client transaction {@code txn}. */
    public EventId redact(
            UserId sender, RoomId room, EventId target, Optional<String> reason, Optional<ClientTransaction> txn) {
        state.requireRoom(room);
        Optional<StoredEvent> targetEvent = eventStore.get(target);
        if (targetEvent.isPresent() && !targetEvent.get().pdu().roomId().equals(room)) {
            // a redaction names its target only by id; one of another room would be applied
            // nowhere, so it is a bad request (Synapse answers 400 too)
            throw MatrixException.invalidParam("eventId", "Cannot redact an event of a different room");
        }
        if (targetEvent.isPresent() && !targetEvent.get().pdu().sender().equals(sender)) {
            PowerLevels levels = state.powerLevels(room);
            if (levels.userLevel(sender) < levels.redact()) {
                throw MatrixException.forbidden("You don't have permission to redact events");
            }
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        reason.ifPresent(r -> content.put("reason", r));
        StoredEvent redaction = events.create(new EventRequest(
                room, sender, "m.room.redaction", Optional.empty(), content, Optional.of(target), txn));
        if (targetEvent.isPresent()) {
            eventStore.markRedacted(target, redaction.eventId());
        }
        return redaction.eventId();
    }
}
