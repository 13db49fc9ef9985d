package dev.myelin.storage.persist;

import dev.myelin.core.id.EventId;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.state.StateKey;
import java.util.Map;
import java.util.Optional;

/**
 * How to persist an event, as decided by the code that checked it.
 *
 * @param outlier         store the event without state, extremities or a place in the timeline
 * @param rejectionReason the event failed authorization: stored (so it is not fetched again) but it changes
 *                        no state and is never served to clients
 * @param stateBefore     the room state before the event when it cannot be taken from its single
 *                        prev_event, i.e. the result of state resolution over several prev_events
 * @param clientTransaction the client transaction a local event was sent in: recorded with the event, and
 *                        an event already recorded for it is returned instead of storing this one
 * @param backfilled      an event of the room's history fetched from another server: it takes its place in
 *                        the timeline by depth, below every stream ordering, and changes neither the room's
 *                        current state nor its forward extremities; an outlier stored earlier becomes it
 */
public record EventContext(
        boolean outlier,
        Optional<String> rejectionReason,
        Optional<Map<StateKey, EventId>> stateBefore,
        Optional<ClientTransaction> clientTransaction,
        boolean backfilled) {

    /** An accepted event whose state follows from its prev_events. */
    public static EventContext normal() {
        return new EventContext(false, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /**
     * An outlier: stored without state, extremities or a place in the timeline.
     *
     * @return the context
     */
    public static EventContext outlierEvent() {
        return new EventContext(true, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /**
     * A rejected event: stored so it is not fetched again, changing nothing.
     *
     * @param reason why it failed authorization
     * @return the context
     */
    public static EventContext rejected(String reason) {
        return new EventContext(false, Optional.of(reason), Optional.empty(), Optional.empty(), false);
    }

    /** An accepted event after state resolution: {@code state} is the state before it. */
    public static EventContext withStateBefore(Map<StateKey, EventId> state) {
        return new EventContext(false, Optional.empty(), Optional.of(Map.copyOf(state)), Optional.empty(), false);
    }

    /**
     * A backfilled event that passed the checks.
     *
     * @param stateBefore the state before it, when it cannot be taken from its prev_events (they are
     *                    not in the timeline, or their states differ)
     * @return the context
     */
    public static EventContext backfilled(Optional<Map<StateKey, EventId>> stateBefore) {
        return new EventContext(false, Optional.empty(), stateBefore.map(Map::copyOf), Optional.empty(), true);
    }

    /**
     * A backfilled event that failed authorization: kept as rejected, in no one's timeline.
     *
     * @param reason why it failed
     * @param stateBefore as for {@link #backfilled}
     * @return the context
     */
    public static EventContext backfilledRejected(String reason, Optional<Map<StateKey, EventId>> stateBefore) {
        return new EventContext(false, Optional.of(reason), stateBefore.map(Map::copyOf), Optional.empty(), true);
    }

    /** This context, for an event sent in {@code txn}. */
    public EventContext withClientTransaction(ClientTransaction txn) {
        return new EventContext(outlier, rejectionReason, stateBefore, Optional.of(txn), backfilled);
    }
}
