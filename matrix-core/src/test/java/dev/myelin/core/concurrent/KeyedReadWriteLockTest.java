package dev.myelin.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.TestWaits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // handles held only for their scope
class KeyedReadWriteLockTest {

    private final KeyedReadWriteLock locks = new KeyedReadWriteLock("test");

    @Test
    void readersShareAKey() throws Exception {
        try (KeyedReadWriteLock.Handle a = locks.read("room");
                KeyedReadWriteLock.Handle b = runOnOtherThread(() -> locks.read("room"))) {
            // both held at once
            assertThat(locks.activeKeys()).isEqualTo(1);
        }
    }

    @Test
    void writersExcludeEveryoneUnderContention() throws Exception {
        ConcurrentHashMap<Integer, AtomicInteger> readers = new ConcurrentHashMap<>();
        ConcurrentHashMap<Integer, AtomicInteger> writers = new ConcurrentHashMap<>();
        AtomicBoolean violated = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int key = i % 10;
                boolean writer = i % 4 == 0;
                tasks.add(executor.submit(() -> {
                    go.await();
                    AtomicInteger r = readers.computeIfAbsent(key, k -> new AtomicInteger());
                    AtomicInteger w = writers.computeIfAbsent(key, k -> new AtomicInteger());
                    for (int round = 0; round < 5; round++) {
                        if (writer) {
                            try (KeyedReadWriteLock.Handle h = locks.write(key)) {
                                if (w.incrementAndGet() != 1 || r.get() != 0) {
                                    violated.set(true);
                                }
                                Thread.yield();
                                w.decrementAndGet();
                            }
                        } else {
                            try (KeyedReadWriteLock.Handle h = locks.read(key)) {
                                r.incrementAndGet();
                                if (w.get() != 0) {
                                    violated.set(true);
                                }
                                Thread.yield();
                                r.decrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> task : tasks) {
                task.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(violated).isFalse();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void waitingWriterGoesBeforeReadersThatArriveLater() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        KeyedReadWriteLock.Handle firstReader = locks.read("room");
        Thread writer = Thread.ofVirtual().start(() -> {
            try (KeyedReadWriteLock.Handle h = locks.write("room")) {
                order.add("writer");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        TestWaits.until(() -> locks.queueLength("room") == 1);
        Thread lateReader = Thread.ofVirtual().start(() -> {
            try (KeyedReadWriteLock.Handle h = locks.read("room")) {
                order.add("late reader");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        // the late reader queues behind the writer instead of joining the current reader
        TestWaits.until(() -> locks.queueLength("room") == 2);
        assertThat(order).isEmpty();
        firstReader.close();
        writer.join();
        lateReader.join();
        assertThat(order).containsExactly("writer", "late reader");
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void interruptedWaiterLeavesNoEntryBehind() throws Exception {
        KeyedReadWriteLock.Handle held = locks.write("room");
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                locks.read("room").close();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        TestWaits.until(() -> locks.queueLength("room") == 1);
        waiter.interrupt();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        held.close();
        held.close();
        assertThat(locks.activeKeys()).isZero();
    }

    private interface Acquire {
        KeyedReadWriteLock.Handle get() throws InterruptedException;
    }

    /** Acquires on another thread and releases there when the returned handle is closed. */
    private static KeyedReadWriteLock.Handle runOnOtherThread(Acquire acquire) throws InterruptedException {
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = Thread.ofVirtual().start(() -> {
            try (KeyedReadWriteLock.Handle h = acquire.get()) {
                acquired.countDown();
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        if (!acquired.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("not acquired");
        }
        return () -> {
            release.countDown();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
