package dev.myelin.storage.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Several processes writing one stream through PostgreSQL sequences: a reader never sees a position
 * before every write at or below it is committed, whichever process made it, and the changes other
 * processes announce are in its change caches by the time it sees their position.
 */
class MultiWriterStreamIdsTest {
    /** Two "processes" in one JVM, each announcement delivered to the other in order, like pub/sub. */
    private static final class Link implements StreamIds.Announcer {
        private final String from;
        private final ExecutorService wire = Executors.newSingleThreadExecutor();
        private volatile StreamIds to;

        Link(String from) {
            this.from = from;
        }

        @Override
        public void announce(Stream stream, long token, List<StreamIds.ChangeRow> rows) {
            wire.execute(() -> {
                if (ThreadLocalRandom.current().nextInt(4) == 0) {
                    Thread.onSpinWait(); // some latency on the wire
                }
                to.remotePosition(stream, from, token, rows);
            });
        }

        void close() throws InterruptedException {
            wire.shutdown();
            wire.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReaderNeverSeesAPositionBeforeEveryWriteBelowItIsCommitted() throws Exception {
        try (Database db = TestDatabases.fresh(Kind.POSTGRES)) {
            StreamIds a = new StreamIds(db);
            StreamIds b = new StreamIds(db);
            Link aToB = new Link("a");
            Link bToA = new Link("b");
            aToB.to = b;
            bToA.to = a;
            a.replicate(aToB);
            b.replicate(bToA);

            Set<Long> committed = ConcurrentHashMap.newKeySet();
            Map<Long, Set<Long>> seenBelow = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (StreamIds process : List.of(a, a, b, b, b)) {
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 150; i++) {
                        boolean rollBack = ThreadLocalRandom.current().nextInt(10) == 0;
                        try {
                            db.write(tx -> {
                                long id = process.allocate(tx, Stream.EVENTS);
                                process.recordChange(ChangedEntities.ROOM_EVENTS, "room" + id, id);
                                tx.afterCommit(() -> committed.add(id));
                                if (rollBack) {
                                    throw new IllegalStateException("rolled back on purpose");
                                }
                                return id;
                            });
                        } catch (IllegalStateException expected) {
                            // its number is burnt
                        }
                    }
                }));
            }
            Thread reader = Thread.ofVirtual().start(() -> {
                while (writing.get()) {
                    for (StreamIds process : List.of(a, b)) {
                        long position = process.currentPosition(Stream.EVENTS);
                        Set<Long> below = new java.util.HashSet<>();
                        for (long id : committed) {
                            if (id <= position) {
                                below.add(id);
                            }
                        }
                        seenBelow.merge(position, below, (x, y) -> x.size() <= y.size() ? x : y);
                        // the other process's changes are known before its positions are visible
                        for (long id : below) {
                            assertThat(process.changes(ChangedEntities.ROOM_EVENTS)
                                            .hasChangedSince("room" + id, id - 1))
                                    .isTrue();
                        }
                    }
                }
            });
            for (Thread t : writers) {
                t.join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long highest = committed.stream().mapToLong(Long::longValue).max().orElseThrow();
            while ((a.currentPosition(Stream.EVENTS) < highest || b.currentPosition(Stream.EVENTS) < highest)
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            writing.set(false);
            reader.join();
            aToB.close();
            bToA.close();

            assertThat(a.currentPosition(Stream.EVENTS)).isGreaterThanOrEqualTo(highest);
            assertThat(b.currentPosition(Stream.EVENTS)).isGreaterThanOrEqualTo(highest);
            assertThat(seenBelow).isNotEmpty();
            seenBelow.forEach((position, seen) -> {
                Set<Long> all = new java.util.HashSet<>();
                for (long id : committed) {
                    if (id <= position) {
                        all.add(id);
                    }
                }
                assertThat(seen)
                        .as("every write at or below %d was committed when a reader saw it", position)
                        .isEqualTo(all);
            });
        }
    }

    @Test
    void anIdleWriterCatchesUpWithABusyOneAndALeavingOneStopsHoldingReadersBack() {
        try (Database db = TestDatabases.fresh(Kind.POSTGRES)) {
            StreamIds a = new StreamIds(db);
            StreamIds b = new StreamIds(db);
            List<String> toA = new ArrayList<>();
            // direct, synchronous links: b answers a's announcements at once
            a.replicate((stream, token, rows) -> b.remotePosition(stream, "a", token, rows));
            b.replicate((stream, token, rows) -> {
                toA.add(stream + "@" + token);
                a.remotePosition(stream, "b", token, rows);
            });
            long id = db.write(tx -> a.allocate(tx, Stream.ACCOUNT_DATA));
            assertThat(b.currentPosition(Stream.ACCOUNT_DATA)).isEqualTo(id);
            assertThat(a.currentPosition(Stream.ACCOUNT_DATA))
                    .as("b had nothing pending and moved up to a's position, so a's readers see it")
                    .isEqualTo(id);
            assertThat(toA).contains("ACCOUNT_DATA@" + id);

            StreamIds c = new StreamIds(db);
            a.remotePosition(Stream.ACCOUNT_DATA, "c", id - 1, List.of());
            var first = a.reached(Stream.ACCOUNT_DATA, id + 1);
            var second = a.reached(Stream.ACCOUNT_DATA, id + 1);
            long next = db.write(tx -> a.allocate(tx, Stream.ACCOUNT_DATA));
            assertThat(a.currentPosition(Stream.ACCOUNT_DATA))
                    .as("c has not announced anything past %d", id - 1)
                    .isEqualTo(id);
            assertThat(first).as("c holds a back").isNotDone();
            a.writerLeft("c");
            assertThat(a.currentPosition(Stream.ACCOUNT_DATA)).isEqualTo(next);
            assertThat(first).isDone();
            assertThat(second).isDone();
            assertThat(c.currentPosition(Stream.ACCOUNT_DATA)).isGreaterThanOrEqualTo(0);
        }
    }
}
