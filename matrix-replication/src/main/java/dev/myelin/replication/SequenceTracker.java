package dev.myelin.replication;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells a reader, message by message, whether it has heard everything another instance said.
 *
 * <p>Redis pub/sub loses messages without saying so: a subscriber that reconnects misses what was
 * published meanwhile, and a sender whose queue overflowed drops its oldest commands. Each sender
 * numbers its messages 1, 2, 3, ... per incarnation, so a reader that remembers the last number
 * per instance sees every loss as a jump. Whatever the outcome says was missed, the reader must
 * treat what it cached from that instance's streams as possibly stale and catch up from the
 * database.
 *
 * <p>Pure and not thread-safe: one tracker belongs to the thread that delivers messages (the
 * subscriber thread of {@link RedisReplication}).
 */
public final class SequenceTracker {

    /** What a message means for the reader's knowledge of its sender. */
    public enum Outcome {
        /** The next message of the sender's run: nothing was missed. */
        IN_ORDER,
        /**
         * Messages of this run were missed (or the sender is new to this tracker and this is not
         * its first message): apply this one, and treat what is cached as possibly stale.
         */
        GAP,
        /**
         * The sender started again (a new incarnation): whatever it had not yet published is lost,
         * and its in-memory state (typing, presence of its syncing users) is gone. Apply this one and
         * treat what is cached from it as possibly stale.
         */
        RESTARTED,
        /** Already seen (sequence not above the last): drop it. */
        DUPLICATE
    }

    private record Last(String incarnation, long sequence) {}

    private final Map<String, Last> last = new HashMap<>();

    /** A tracker that has heard nothing yet. */
    public SequenceTracker() {}

    /**
     * Records the message and says how it follows the sender's previous one.
     *
     * <p>The first message of an instance unknown to this tracker is {@link Outcome#IN_ORDER} if it
     * is number 1 and a {@link Outcome#GAP} otherwise (the reader joined in the middle of the
     * sender's run). A {@link Outcome#DUPLICATE} leaves the state unchanged.
     *
     * @param message a message of another instance
     * @return how it relates to what was seen before
     */
    public Outcome observe(ReplicationMessage message) {
        Last previous = last.get(message.instance());
        if (previous != null
                && previous.incarnation().equals(message.incarnation())
                && message.sequence() <= previous.sequence()) {
            return Outcome.DUPLICATE;
        }
        last.put(message.instance(), new Last(message.incarnation(), message.sequence()));
        if (previous == null) {
            return message.sequence() == 1 ? Outcome.IN_ORDER : Outcome.GAP;
        }
        if (!previous.incarnation().equals(message.incarnation())) {
            return Outcome.RESTARTED;
        }
        return message.sequence() == previous.sequence() + 1 ? Outcome.IN_ORDER : Outcome.GAP;
    }

    /**
     * Forgets an instance, e.g. one that was removed from the deployment, so its next message
     * counts as its first.
     *
     * @param instance the instance name
     */
    public void forget(String instance) {
        last.remove(instance);
    }
}
