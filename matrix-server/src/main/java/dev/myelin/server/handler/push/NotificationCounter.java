package dev.myelin.server.handler.push;

import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.MemberContent;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.push.PushContext;
import dev.myelin.core.push.PushResult;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts a user's unread notifications in a room for {@code /sync}'s {@code unread_notifications}.
 *
 * <p>Unread means after the user's read receipt ({@link ReadReceiptPosition}), or after the
 * user's join when there is none or the receipt is older than the join. Each unread event not
 * sent by the user is evaluated with the user's push rules: {@code notify} counts it,
 * a {@code highlight} tweak also counts it as a highlight.
 *
 * <p>Counts are computed on demand rather than stored per event, which keeps them correct when
 * rules change, at the cost of a scan: at most the newest {@link #MAX_SCANNED} unread events are
 * read (one query), so a user far behind sees the count of those only. A count is then kept and
 * carried forward over the events that follow it while the read position, the rules, the membership
 * and the room's state stay as they were ({@link UnreadTallies}). The room's current state
 * (member count, the user's display name, power levels) stands in for the state at each event.
 * Only joined rooms have counts; for any other membership the counts are zero.
 */
public final class NotificationCounter {
    /** The most unread events one count reads. */
    public static final int MAX_SCANNED = 1000;

    private final RoomStore roomStore;
    private final StateStore stateStore;
    private final EventStore eventStore;
    private final PushRulesHandler pushRules;
    private final ReadReceiptPosition receipts;
    private final UnreadTallies tallies;

    public NotificationCounter(
            RoomStore roomStore,
            StateStore stateStore,
            EventStore eventStore,
            PushRulesHandler pushRules,
            ReadReceiptPosition receipts,
            UnreadTallies tallies) {
        this.roomStore = roomStore;
        this.stateStore = stateStore;
        this.eventStore = eventStore;
        this.pushRules = pushRules;
        this.receipts = receipts;
        this.tallies = tallies;
    }

    /**
     * The user's unread notification and highlight counts in {@code room}. A count worked out before is
     * carried forward by evaluating only the events since, as long as nothing it rests on moved (see
     * {@link UnreadTallies}); otherwise it is worked out afresh.
     */
    public NotificationCounts counts(UserId user, RoomId room) {
        UnreadTallies.Positions now = tallies.positions();
        Optional<UnreadTallies.Tally> known = tallies.stillValid(user, room);
        if (known.isPresent()) {
            Optional<NotificationCounts> carried = carryForward(user, room, known.get(), now);
            if (carried.isPresent()) {
                return carried.get();
            }
        }
        return countAfresh(user, room, now);
    }

    /** {@code tally} plus the events after it, or empty when those events call for counting afresh. */
    private Optional<NotificationCounts> carryForward(
            UserId user, RoomId room, UnreadTallies.Tally tally, UnreadTallies.Positions now) {
        if (tally.evaluation() == null) {
            tallies.put(user, room, tally.movedTo(now, tally.counts(), 0));
            return Optional.of(tally.counts()); // not joined: nothing counts until the membership moves
        }
        List<StoredEvent> fresh =
                eventStore.roomEventsByStream(room, tally.positions().events(), now.events(), MAX_SCANNED + 1);
        if (tally.scanned() + fresh.size() > MAX_SCANNED) {
            return Optional.empty();
        }
        for (StoredEvent e : fresh) {
            // new state (power levels, names) or a redaction changes how earlier events count
            if (e.pdu().isState() || e.pdu().redacts().isPresent()) {
                return Optional.empty();
            }
        }
        NotificationCounts counts = add(tally.counts(), tally.evaluation(), user, fresh);
        tallies.put(user, room, tally.movedTo(now, counts, fresh.size()));
        return Optional.of(counts);
    }

    private NotificationCounts countAfresh(UserId user, RoomId room, UnreadTallies.Positions now) {
        Optional<RoomVersion> version = roomStore.get(room).flatMap(Room::version);
        if (version.isEmpty()) {
            return NotificationCounts.ZERO;
        }
        Map<StateKey, EventId> state = stateStore.currentState(room);
        EventId memberId = state.get(StateKey.member(user.toString()));
        if (memberId == null) {
            tallies.put(user, room, UnreadTallies.Tally.notJoined(now));
            return NotificationCounts.ZERO;
        }
        List<EventId> wanted = new ArrayList<>(List.of(memberId));
        Optional.ofNullable(state.get(StateKey.of("m.room.create", ""))).ifPresent(wanted::add);
        Optional.ofNullable(state.get(StateKey.of("m.room.power_levels", ""))).ifPresent(wanted::add);
        Optional<EventId> receipt = receipts.latestReadReceipt(user, room);
        receipt.ifPresent(wanted::add);
        Map<EventId, StoredEvent> loaded = eventStore.getAll(wanted);

        StoredEvent member = loaded.get(memberId);
        if (member == null) {
            return NotificationCounts.ZERO;
        }
        MemberContent membership = MemberContent.from(member.pdu().content());
        if (membership.membership().filter(m -> m == Membership.JOIN).isEmpty()) {
            tallies.put(user, room, UnreadTallies.Tally.notJoined(now));
            return NotificationCounts.ZERO;
        }
        RoomPosition readUpTo = member.position();
        Optional<StoredEvent> receiptEvent =
                receipt.map(loaded::get).filter(e -> e.pdu().roomId().equals(room));
        if (receiptEvent.isPresent() && receiptEvent.get().position().compareTo(readUpTo) > 0) {
            readUpTo = receiptEvent.get().position();
        }

        // only what the positions taken before reading cover: later events are the next count's
        List<StoredEvent> unread =
                eventStore
                        .roomEventsBetween(room, RoomPosition.END, readUpTo, MAX_SCANNED, Direction.BACKWARDS)
                        .events()
                        .stream()
                        .filter(e -> e.streamOrdering() <= now.events())
                        .toList();
        PowerLevels powerLevels = PowerLevels.of(
                version.get(),
                pdu(loaded, state.get(StateKey.of("m.room.create", ""))).orElse(null),
                pdu(loaded, state.get(StateKey.of("m.room.power_levels", ""))).orElse(null));
        UnreadTallies.Evaluation evaluation = new UnreadTallies.Evaluation(
                pushRules.evaluator(user),
                membership.displayname().orElse(null),
                stateStore.joinedMemberCount(room),
                powerLevels);
        NotificationCounts counts = add(NotificationCounts.ZERO, evaluation, user, unread);
        tallies.put(user, room, new UnreadTallies.Tally(now, counts, unread.size(), evaluation));
        return counts;
    }

    /** {@code counts} plus the notifications and highlights among {@code events}. */
    private static NotificationCounts add(
            NotificationCounts counts, UnreadTallies.Evaluation evaluation, UserId user, List<StoredEvent> events) {
        long notifications = counts.notificationCount();
        long highlights = counts.highlightCount();
        for (StoredEvent event : events) {
            Pdu pdu = event.pdu();
            // own events never notify; redacted ones no longer say anything worth a notification
            if (pdu.sender().equals(user) || event.redactedBy().isPresent()) {
                continue;
            }
            PushResult result = evaluation
                    .evaluator()
                    .evaluate(
                            pdu,
                            PushContext.of(
                                    user,
                                    evaluation.displayName(),
                                    evaluation.members(),
                                    evaluation.powerLevels(),
                                    pdu.sender()));
            if (result.notifies()) {
                notifications++;
                if (result.highlights()) {
                    highlights++;
                }
            }
        }
        return new NotificationCounts(notifications, highlights);
    }

    private static Optional<Pdu> pdu(Map<EventId, StoredEvent> loaded, EventId id) {
        return Optional.ofNullable(id).map(loaded::get).map(StoredEvent::pdu);
    }
}
