package dev.myelin.server.handler.federation;

import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The authorization check of a room's state and auth chain as another server answers them (to
 * {@code send_join}, {@code /state}): each event against its own auth events, oldest first, so
 * that a rejected event taints every event that cites it. The events' signatures and hashes are
 * checked before; this decides which of them may stand.
 */
final class ReceivedStateCheck {
    private ReceivedStateCheck() {}

    /**
     * The events of {@code received} that fail: an auth event neither among them nor given by
     * {@code stored}, or the authorization rules against their auth events.
     *
     * @param version the room's version
     * @param received the verified events, by id
     * @param stored events already held here that the answer may cite without repeating them
     */
    static Set<EventId> rejected(
            RoomVersion version, Map<EventId, Pdu> received, Function<EventId, Optional<Pdu>> stored) {
        List<Pdu> ordered = new ArrayList<>(received.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth)
                .thenComparing(p -> p.eventId().value()));
        Optional<Pdu> create = createEvent(received.values());
        Set<EventId> rejected = new LinkedHashSet<>();
        for (Pdu event : ordered) {
            List<Pdu> authEvents = new ArrayList<>();
            boolean missing = false;
            for (EventId id : event.authEventIds()) {
                Optional<Pdu> auth = Optional.ofNullable(received.get(id)).or(() -> stored.apply(id));
                if (auth.isEmpty()) {
                    missing = true;
                } else {
                    authEvents.add(auth.get());
                }
            }
            if (version.eventFormat().roomIdFromCreateEvent() && !event.type().equals("m.room.create")) {
                // from room version 12 the create event is never cited; the rules still need it
                create.ifPresent(authEvents::add);
            }
            if (missing
                    || EventAuthorizer.checkAgainstAuthEvents(event, authEvents, rejected::contains)
                            instanceof AuthResult.Rejected) {
                rejected.add(event.eventId());
            }
        }
        return rejected;
    }

    private static Optional<Pdu> createEvent(Collection<Pdu> events) {
        return events.stream().filter(p -> p.type().equals("m.room.create")).findFirst();
    }
}
