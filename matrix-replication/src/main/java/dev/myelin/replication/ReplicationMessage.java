package dev.myelin.replication;

import java.util.Objects;

/**
 * One command as sent: who sent it (instance name), which run of that instance (incarnation:
 * random per start), its number in that run's sequence (1, 2, 3, ... with no gaps as published),
 * the command.
 *
 * <p>The incarnation and the sequence exist because Redis pub/sub may silently lose messages (a
 * subscriber that was disconnected, or a sender whose queue overflowed): a reader compares
 * sequences with {@link SequenceTracker} to know when its caches can no longer be trusted.
 *
 * @param instance the sender's instance name (as in {@code instance_map}); never empty
 * @param incarnation random per start of the sender; never empty
 * @param sequence the message's number in the incarnation's sequence, from 1
 * @param command what the sender says
 */
public record ReplicationMessage(String instance, String incarnation, long sequence, ReplicationCommand command) {

    public ReplicationMessage {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(incarnation, "incarnation");
        Objects.requireNonNull(command, "command");
        if (instance.isEmpty()) {
            throw new IllegalArgumentException("the instance name is empty");
        }
        if (incarnation.isEmpty()) {
            throw new IllegalArgumentException("the incarnation is empty");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1, got " + sequence);
        }
    }
}
