package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceListener;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.room.NewEventListener;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Local users' presence ({@code m.presence} EDUs) for the other servers that share a room with
 * them: each change goes to every such server; when a local user joins a room, their presence
 * goes to the room's other servers, and when another server's user joins, the presence of the
 * room's local members goes to that server, so new members see each other's presence at once.
 * Users who never set a presence (nor synced) are not sent.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#presence">Presence</a>
 */
public final class PresenceFanOut implements PresenceListener, NewEventListener {
    /** The EDU type of presence. */
    public static final String EDU_TYPE = "m.presence";

    private final ServerName self;
    private final StateStore state;
    private final PresenceHandler presence;
    private final TransactionSender sender;
    private final Clock clock;

    public PresenceFanOut(
            ServerName self, StateStore state, PresenceHandler presence, TransactionSender sender, Clock clock) {
        this.self = self;
        this.state = state;
        this.presence = presence;
        this.sender = sender;
        this.clock = clock;
    }

    @Override
    public void onPresence(PresenceStatus status) {
        Set<ServerName> destinations = new TreeSet<>();
        for (RoomId room : state.roomsForUser(status.user(), Membership.JOIN)) {
            destinations.addAll(otherServers(room));
        }
        send(destinations, List.of(status));
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        if (!event.type().equals("m.room.member")
                || !"join".equals(event.content().path("membership").asText())
                || event.stateKey().isEmpty()) {
            return;
        }
        UserId joined;
        try {
            joined = UserId.parse(event.stateKey().get());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (joined.server().equals(self)) {
            send(otherServers(event.roomId()), known(List.of(joined)));
        } else {
            List<UserId> locals = state.joinedMembers(event.roomId()).stream()
                    .filter(u -> u.server().equals(self))
                    .toList();
            send(Set.of(joined.server()), known(locals));
        }
    }

    private List<PresenceStatus> known(Collection<UserId> users) {
        List<PresenceStatus> out = new ArrayList<>();
        for (UserId user : users) {
            PresenceStatus status = presence.current(user);
            if (status.position() > 0) {
                out.add(status);
            }
        }
        return out;
    }

    private Set<ServerName> otherServers(RoomId room) {
        Set<ServerName> out = new TreeSet<>();
        for (UserId member : state.joinedMembers(room)) {
            out.add(member.server());
        }
        out.remove(self);
        return out;
    }

    private void send(Set<ServerName> destinations, List<PresenceStatus> statuses) {
        if (destinations.isEmpty() || statuses.isEmpty()) {
            return;
        }
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", EDU_TYPE);
        var push = edu.putObject("content").putArray("push");
        long now = clock.nowMillis();
        for (PresenceStatus status : statuses) {
            ObjectNode entry = status.content(now);
            entry.put("user_id", status.user().toString());
            push.add(entry);
        }
        for (ServerName destination : destinations) {
            sender.sendEdu(destination, edu);
        }
    }
}
