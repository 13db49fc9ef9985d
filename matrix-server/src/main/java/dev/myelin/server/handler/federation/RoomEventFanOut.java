package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.server.handler.room.NewEventListener;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event a local user makes in a room to the other servers in it: every server with a
 * joined member in the room's current state but this one gets the event in its transaction queue.
 * Events of other servers' users are theirs to send; outliers never reach the listeners.
 *
 * <p>A kick, a ban or a withdrawn invite of another server's user also goes to that user's server
 * when the event's auth events show the user joined, invited or knocking before it, so that server
 * learns of it even when it has no member left in the room (the event is in the queue whatever the
 * state is then, as Synapse sends it to the servers in the room before the event).
 *
 * <p>The event travels in its federation format with no {@code unsigned} keys of this server's
 * own ({@link ClientEvent#toFederationFormat}). Queueing failures are logged, never thrown: the
 * event is persisted and its sender has their answer.
 */
public final class RoomEventFanOut implements NewEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RoomEventFanOut.class);
    private static final Set<String> WAS_IN_ROOM = Set.of("join", "invite", "knock");

    private final ServerName serverName;
    private final StateStore state;
    private final EventStore events;
    private final TransactionSender sender;

    public RoomEventFanOut(ServerName serverName, StateStore state, EventStore events, TransactionSender sender) {
        this.serverName = serverName;
        this.state = state;
        this.events = events;
        this.sender = sender;
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        if (!event.sender().server().equals(serverName) || event.prevEventIds().isEmpty()) {
            return;
        }
        try {
            queue(event, destinations(event));
        } catch (RuntimeException e) {
            LOG.warn("Could not queue {} for the other servers in {}", event.eventId(), event.roomId(), e);
        }
    }

    /**
     * Sends {@code event}, another server's user's event this server accepted for its room (a
     * join or leave through {@code send_join}/{@code send_leave}), on to the other servers in the
     * room but {@code origin}, which sent it: they learn of the new member from the resident
     * server, as the joining server does not know them yet.
     */
    public void forward(Pdu event, ServerName origin) {
        try {
            Set<ServerName> destinations = destinations(event);
            destinations.remove(origin);
            queue(event, destinations);
        } catch (RuntimeException e) {
            LOG.warn("Could not forward {} to the other servers in {}", event.eventId(), event.roomId(), e);
        }
    }

    private void queue(Pdu event, Set<ServerName> destinations) {
        if (destinations.isEmpty()) {
            return;
        }
        ObjectNode json = ClientEvent.toFederationFormat(event);
        json.remove("unsigned");
        for (ServerName destination : destinations) {
            sender.sendPdu(destination, event.roomId().value(), json);
        }
    }

    private Set<ServerName> destinations(Pdu event) {
        Set<ServerName> out = new TreeSet<>(state.joinedServers(event.roomId()).keySet());
        removedMemberServer(event).ifPresent(out::add);
        out.remove(serverName);
        return out;
    }

    /** For a kick, ban or withdrawn invite of another server's user, that user's server. */
    private Optional<ServerName> removedMemberServer(Pdu event) {
        if (!event.type().equals("m.room.member") || event.stateKey().isEmpty()) {
            return Optional.empty();
        }
        String membership = event.content().path("membership").asText("");
        String target = event.stateKey().get();
        if ((!membership.equals("leave") && !membership.equals("ban"))
                || target.equals(event.sender().toString())) {
            return Optional.empty();
        }
        UserId targetUser;
        try {
            targetUser = UserId.parse(target);
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
        if (targetUser.server().equals(serverName)) {
            return Optional.empty();
        }
        List<EventId> auth = event.authEventIds();
        for (StoredEvent authEvent : events.getAll(auth).values()) {
            Pdu pdu = authEvent.pdu();
            if (pdu.type().equals("m.room.member")
                    && pdu.stateKey().filter(target::equals).isPresent()
                    && WAS_IN_ROOM.contains(pdu.content().path("membership").asText(""))) {
                return Optional.of(targetUser.server());
            }
        }
        return Optional.empty();
    }
}
