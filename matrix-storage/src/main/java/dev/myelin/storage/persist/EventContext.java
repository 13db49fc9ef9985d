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
 * @param currentState    the room's current state after the event, when it is not the state before the
 *                        event plus the event: an event placed beside other forward extremities, whose
 *                        states the caller resolved with its own
 * @param redactionUnapplied a redaction kept without redacting its target: in room versions whose
 *                        rules leave redactions to the receiver, one from another server than the
 *                        target's sender by a user without the redact level
 * @param backfilled      an event of the room's history fetched from another server: it takes its place in
 *                        the timeline by depth, below every stream ordering, and changes neither the room's
 *                        current state nor its forward extremities; an outlier stored earlier becomes it
 */
public record EventContext(
        boolean outlier,
        Optional<String> rejectionReason,
        Optional<Map<StateKey, EventId>> stateBefore,
        Optional<ClientTransaction> clientTransaction,
        Optional<Map<StateKey, EventId>> currentState,
        boolean redactionUnapplied,
        boolean backfilled) {

    /** A context without a separately resolved current state, of an event that is not history. */
    public EventContext(
            boolean outlier,
            Optional<String> rejectionReason,
            Optional<Map<StateKey, EventId>> stateBefore,
            Optional<ClientTransaction> clientTransaction) {
        this(outlier, rejectionReason, stateBefore, clientTransaction, Optional.empty(), false, false);
    }

    /** An accepted event whose state follows from its prev_events. */
    public static EventContext normal() {
        return new EventContext(false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * An outlier: stored without state, extremities or a place in the timeline.
     *
     * @return the context
     */
    public static EventContext outlierEvent() {
        return new EventContext(true, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * A rejected event: stored so it is not fetched again, changing nothing.
     *
     * @param reason why it failed authorization
     * @return the context
     */
    public static EventContext rejected(String reason) {
        return new EventContext(false, Optional.of(reason), Optional.empty(), Optional.empty());
    }

    /** An accepted event after state resolution: {@code state} is the state before it. */
    public static EventContext withStateBefore(Map<StateKey, EventId> state) {
        return new EventContext(false, Optional.empty(), Optional.of(Map.copyOf(state)), Optional.empty());
    }

    /**
     * A backfilled event that passed the checks.
     *
     * @param stateBefore the state before it, when it cannot be taken from its prev_events (they are
     *                    not in the timeline, or their states differ)
     * @return the context
     */
    public static EventContext backfilled(Optional<Map<StateKey, EventId>> stateBefore) {
        return new EventContext(
                false, Optional.empty(), stateBefore.map(Map::copyOf), Optional.empty(), Optional.empty(), false, true);
    }

    /**
     * A backfilled event that failed authorization: kept as rejected, in no one's timeline.
     *
     * @param reason why it failed
     * @param stateBefore as for {@link #backfilled}
     * @return the context
     */
    public static EventContext backfilledRejected(String reason, Optional<Map<StateKey, EventId>> stateBefore) {
        return new EventContext(
                false,
                Optional.of(reason),
                stateBefore.map(Map::copyOf),
                Optional.empty(),
                Optional.empty(),
                false,
                true);
    }

    /** This context, for an event sent in {@code txn}. */
    public EventContext withClientTransaction(ClientTransaction txn) {
        return new EventContext(
                outlier, rejectionReason, stateBefore, Optional.of(txn), currentState, redactionUnapplied, backfilled);
    }

    /** This context, with {@code state} as the room's current state once the event is stored. */
    public EventContext withCurrentState(Map<StateKey, EventId> state) {
        return new EventContext(
                outlier,
                rejectionReason,
                stateBefore,
                clientTransaction,
                Optional.of(Map.copyOf(state)),
                redactionUnapplied,
                backfilled);
    }

    /** This context, for a redaction kept without redacting its target. */
    public EventContext withRedactionUnapplied() {
        return new EventContext(
                outlier, rejectionReason, stateBefore, clientTransaction, currentState, true, backfilled);
    }
}
