/**
 * Replication between the processes of one homeserver: each process tells the others what it wrote
 * (stream positions, stale cache keys, who to wake, presence and typing changes) over one Redis
 * pub/sub channel, so that workers can serve reads from their own caches without asking the writer.
 *
 * <p>The pieces: {@link dev.myelin.replication.ReplicationCommand} is what is said, {@link
 * dev.myelin.replication.ReplicationMessage} adds who said it and its place in the sender's
 * sequence, {@link dev.myelin.replication.ReplicationCodec} is the wire format, {@link
 * dev.myelin.replication.RedisReplication} moves messages through Redis and survives Redis going
 * away, and {@link dev.myelin.replication.SequenceTracker} tells a reader when it missed something.
 *
 * <p>Redis pub/sub delivers at most once and keeps nothing for a subscriber that is not connected,
 * so a reader never trusts the channel alone: it treats a gap in a sender's sequence, a restarted
 * sender, or its own reconnection as "what I cached may be stale" and catches up from the database
 * (after asking everyone for their positions with {@link
 * dev.myelin.replication.ReplicationCommand.Replicate}).
 */
@NullMarked
package dev.myelin.replication;

import org.jspecify.annotations.NullMarked;
