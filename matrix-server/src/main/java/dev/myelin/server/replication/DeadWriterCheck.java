package dev.myelin.server.replication;

import dev.myelin.core.time.Clock;
import dev.myelin.storage.stream.InstanceLocks;
import dev.myelin.storage.stream.StreamIds;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops readers waiting for a process that died without a word (killed, crashed, its machine gone):
 * a writer that stays behind the others for a while is asked after through its instance lock, and
 * when PostgreSQL says its session is gone, {@link StreamIds#writerDied} lets the positions move on.
 * Until then every reader's position would stay below the dead writer's last announcement.
 */
public final class DeadWriterCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadWriterCheck.class);
    /** How often lagging writers are looked at. */
    static final Duration INTERVAL = Duration.ofMillis(500);
    /** How long a writer may lag before its lock is tried (a busy writer catches up well within it). */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final StreamIds streams;
    private final InstanceLocks locks;
    private final Clock clock;
    private final Map<String, Long> laggingSince = new HashMap<>();
    private volatile Thread loop;

    public DeadWriterCheck(StreamIds streams, InstanceLocks locks, Clock clock) {
        this.streams = streams;
        this.locks = locks;
        this.clock = clock;
    }

    /** Starts looking, on a virtual thread of its own. */
    public void start() {
        loop = Thread.ofVirtual().name("dead-writer-check").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    clock.sleep(INTERVAL);
                    try {
                        checkOnce();
                    } catch (RuntimeException e) {
                        LOG.warn("Looking for processes that are gone failed; trying again", e);
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    /** One look: returns the writers found dead. */
    Set<String> checkOnce() {
        long now = clock.monotonicNanos();
        Set<String> lagging = streams.laggingWriters();
        laggingSince.keySet().retainAll(lagging);
        Set<String> dead = new java.util.HashSet<>();
        for (String name : lagging) {
            long since = laggingSince.computeIfAbsent(name, n -> now);
            if (now - since >= GRACE.toNanos() && !locks.isAlive(name)) {
                LOG.warn("Process '{}' is gone (its database session ended): readers no longer wait for it", name);
                streams.writerDied(name);
                laggingSince.remove(name);
                dead.add(name);
            }
        }
        return dead;
    }

    @Override
    public void close() {
        Thread running = loop;
        if (running != null) {
            running.interrupt();
        }
    }
}
