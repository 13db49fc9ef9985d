package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.event.content.HistoryVisibility;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.account.ErasedUserStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What another server may read of a room. It may read nothing of a room none of its users is
 * joined to now, nor of a room whose {@code m.room.server_acl} keeps it out. Of the events it may
 * ask for, each is given whole when, in the state at the event (after it), the history visibility
 * is {@code shared} or {@code world_readable} (or anything but {@code invited} and {@code joined}),
 * or one of the server's users was joined, or invited while the visibility was {@code invited}; and
 * otherwise, or when its sender has been erased, in its redacted form, so that the server can
 * still link the room's graph. Events stored without state (outliers) are given whole: there is no
 * state to decide with. These are Synapse's rules for servers, which the spec leaves open.
 *
 * <p>Events go out as the PDUs they are: the stored JSON, or its redacted form once redacted.
 */
public final class ServerVisibility {
    private static final StateKey HISTORY_VISIBILITY = StateKey.of("m.room.history_visibility", "");
    private static final String MEMBER = "m.room.member";

    private final EventStore events;
    private final StateStore state;
    private final ErasedUserStore erased;
    private final RoomServerAcls acls;

    public ServerVisibility(EventStore events, StateStore state, ErasedUserStore erased, RoomServerAcls acls) {
        this.events = events;
        this.state = state;
        this.erased = erased;
        this.acls = acls;
    }

    /**
     * Checks that {@code server} may read {@code room}: 403 {@code M_FORBIDDEN} when none of its
     * users is joined, or when the room's server ACL denies it.
     */
    public void requireReader(RoomId room, ServerName server) {
        requireJoined(room, server);
        acls.check(room, server);
    }

    /** 403 {@code M_FORBIDDEN} when none of {@code server}'s users is joined to {@code room} now. */
    public void requireJoined(RoomId room, ServerName server) {
        boolean joined =
                state.joinedMembers(room).stream().anyMatch(u -> u.server().equals(server));
        if (!joined) {
            throw MatrixException.forbidden("Host not in room.");
        }
    }

    /** The PDU of {@code event} as stored: its redacted form once it has been redacted. */
    public static ObjectNode pdu(StoredEvent event) {
        return event.redactedBy().isPresent()
                ? Redaction.redact(event.pdu()).json()
                : event.pdu().json();
    }

    /** The PDUs of {@code events} as {@code server} may see them, in the given order. */
    public List<ObjectNode> forServer(ServerName server, List<StoredEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        Set<UserId> erasedSenders =
                erased.erasedAmong(events.stream().map(e -> e.pdu().sender()).collect(Collectors.toSet()));
        Map<Long, Boolean> visibleAtGroup = new HashMap<>();
        List<ObjectNode> out = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            boolean visible = !erasedSenders.contains(event.pdu().sender()) && visible(server, event, visibleAtGroup);
            out.add(visible ? pdu(event) : Redaction.redact(event.pdu()).json());
        }
        return out;
    }

    private boolean visible(ServerName server, StoredEvent event, Map<Long, Boolean> visibleAtGroup) {
        if (event.outlier()) {
            return true;
        }
        OptionalLong group = state.stateGroupAt(event.eventId());
        if (group.isEmpty()) {
            return true;
        }
        return visibleAtGroup.computeIfAbsent(
                group.getAsLong(),
                g -> visibleIn(server, state.stateAt(event.eventId()).orElse(Map.of())));
    }

    private boolean visibleIn(ServerName server, Map<StateKey, EventId> stateAt) {
        HistoryVisibility visibility = Optional.ofNullable(stateAt.get(HISTORY_VISIBILITY))
                .flatMap(events::get)
                .map(e -> e.pdu().content().path("history_visibility").asText(""))
                .map(ServerVisibility::parseVisibility)
                .orElse(HistoryVisibility.SHARED);
        if (visibility != HistoryVisibility.INVITED && visibility != HistoryVisibility.JOINED) {
            return true;
        }
        String suffix = ":" + server;
        List<EventId> memberIds = stateAt.entrySet().stream()
                .filter(e -> e.getKey().type().equals(MEMBER)
                        && e.getKey().stateKey().endsWith(suffix)
                        && e.getKey().stateKey().indexOf(':')
                                == e.getKey().stateKey().length() - suffix.length())
                .map(Map.Entry::getValue)
                .toList();
        for (StoredEvent member : events.getAll(memberIds).values()) {
            String membership = member.pdu().content().path("membership").asText("");
            if (membership.equals("join")) {
                return true;
            }
            if (membership.equals("invite") && visibility == HistoryVisibility.INVITED) {
                return true;
            }
        }
        return false;
    }

    private static HistoryVisibility parseVisibility(String value) {
        return switch (value) {
            case "invited" -> HistoryVisibility.INVITED;
            case "joined" -> HistoryVisibility.JOINED;
            case "world_readable" -> HistoryVisibility.WORLD_READABLE;
            default -> HistoryVisibility.SHARED;
        };
    }
}
