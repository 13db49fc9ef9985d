package dev.myelin.server.handler.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.MemberContent;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.push.PushContext;
import dev.myelin.core.push.PushResult;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates a newly persisted event against the push rules of every local user it may notify:
 * the room's joined local members, and the invited user of an invite; of a membership change, only
 * its target (if joined) and invitee. The sender is never notified of their own event, and rejected
 * events and outliers notify nobody.
 *
 * <p>The room's current state (just after the event) stands in for the state at the event, as it
 * does for {@link NotificationCounter}: its member count, each user's display name and the power
 * levels.
 */
public final class NotificationEvaluator {
    private final ServerName serverName;
    private final RoomStore rooms;
    private final StateStore state;
    private final EventStore events;
    private final PushRulesHandler rules;

    public NotificationEvaluator(
            ServerName serverName, RoomStore rooms, StateStore state, EventStore events, PushRulesHandler rules) {
        this.serverName = serverName;
        this.rooms = rooms;
        this.state = state;
        this.events = events;
        this.rules = rules;
    }

    /**
     * One user the event notifies, and how.
     *
     * @param user   the user
     * @param result the matching rule and its actions; {@link PushResult#notifies()} is true
     */
    public record Notified(UserId user, PushResult result) {}

    /**
     * The outcome for one event: who is notified, and what a push about it says of its room and
     * sender.
     *
     * @param event             the event
     * @param notified          the users it notifies
     * @param roomName          the room's name, else its canonical alias
     * @param senderDisplayName the sender's display name in the room
     */
    public record Evaluated(
            StoredEvent event, List<Notified> notified, Optional<String> roomName, Optional<String> senderDisplayName) {
        public Evaluated {
            notified = List.copyOf(notified);
        }
    }

    /** Evaluates {@code event}; nobody is notified of a rejected event or an outlier. */
    public Evaluated evaluate(StoredEvent event) {
        Pdu pdu = event.pdu();
        Optional<RoomVersion> version = rooms.get(pdu.roomId()).flatMap(Room::version);
        if (version.isEmpty() || event.outlier() || event.rejectionReason().isPresent()) {
            return new Evaluated(event, List.of(), Optional.empty(), Optional.empty());
        }
        Map<StateKey, EventId> current = state.currentState(pdu.roomId());
        Set<UserId> candidates = new LinkedHashSet<>();
        if (pdu.type().equals("m.room.member")) {
            // only the target of a membership change, as Synapse does: rules that notify on other
            // people's joins and leaves are in practice never written, and reading every member's rules
            // for each join would make joins into a large room cost as much as the room is large
            target(pdu)
                    .filter(u -> u.server().equals(serverName))
                    .filter(u -> state.currentMembership(pdu.roomId(), u)
                            .filter("join"::equals)
                            .isPresent())
                    .ifPresent(candidates::add);
        } else {
            for (UserId member : state.joinedMembers(pdu.roomId())) {
                if (member.server().equals(serverName)) {
                    candidates.add(member);
                }
            }
        }
        invitee(pdu).filter(u -> u.server().equals(serverName)).ifPresent(candidates::add);
        candidates.remove(pdu.sender());

        List<EventId> wanted = new ArrayList<>();
        for (UserId user : candidates) {
            Optional.ofNullable(current.get(StateKey.member(user.toString()))).ifPresent(wanted::add);
        }
        Optional.ofNullable(current.get(StateKey.member(pdu.sender().toString())))
                .ifPresent(wanted::add);
        for (String type : List.of("m.room.create", "m.room.power_levels", "m.room.name", "m.room.canonical_alias")) {
            Optional.ofNullable(current.get(StateKey.of(type, ""))).ifPresent(wanted::add);
        }
        Map<EventId, StoredEvent> loaded = events.getAll(wanted);
        PowerLevels powerLevels = PowerLevels.of(
                version.get(),
                stateEvent(current, loaded, StateKey.of("m.room.create", "")).orElse(null),
                stateEvent(current, loaded, StateKey.of("m.room.power_levels", ""))
                        .orElse(null));
        long members = state.joinedMemberCount(pdu.roomId());

        List<Notified> notified = new ArrayList<>();
        for (UserId user : candidates) {
            Optional<String> displayName = displayName(current, loaded, user);
            PushResult result = rules.evaluator(user)
                    .evaluate(pdu, PushContext.of(user, displayName.orElse(null), members, powerLevels, pdu.sender()));
            if (result.notifies()) {
                notified.add(new Notified(user, result));
            }
        }
        return new Evaluated(event, notified, roomName(current, loaded), displayName(current, loaded, pdu.sender()));
    }

    /** The user whose membership a member event changes. */
    private static Optional<UserId> target(Pdu pdu) {
        try {
            return pdu.stateKey().map(UserId::parse);
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }

    /** The invited user of an invite, who is not a member yet but should hear of it. */
    private static Optional<UserId> invitee(Pdu pdu) {
        if (!pdu.type().equals("m.room.member") || pdu.stateKey().isEmpty()) {
            return Optional.empty();
        }
        if (MemberContent.from(pdu.content())
                .membership()
                .filter(m -> m == Membership.INVITE)
                .isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UserId.parse(pdu.stateKey().get()));
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> displayName(
            Map<StateKey, EventId> current, Map<EventId, StoredEvent> loaded, UserId user) {
        return stateEvent(current, loaded, StateKey.member(user.toString()))
                .flatMap(member -> MemberContent.from(member.content()).displayname())
                .filter(name -> !name.isEmpty());
    }

    private static Optional<String> roomName(Map<StateKey, EventId> current, Map<EventId, StoredEvent> loaded) {
        Optional<String> name = stateEvent(current, loaded, StateKey.of("m.room.name", ""))
                .map(e -> e.content().path("name"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue)
                .filter(n -> !n.isEmpty());
        if (name.isPresent()) {
            return name;
        }
        return stateEvent(current, loaded, StateKey.of("m.room.canonical_alias", ""))
                .map(e -> e.content().path("alias"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue)
                .filter(a -> !a.isEmpty());
    }

    private static Optional<Pdu> stateEvent(
            Map<StateKey, EventId> current, Map<EventId, StoredEvent> loaded, StateKey key) {
        return Optional.ofNullable(current.get(key)).map(loaded::get).map(StoredEvent::pdu);
    }
}
