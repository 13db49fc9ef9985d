package dev.myelin.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.TestWaits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@SuppressWarnings("try") // permits held only for their scope
class LinearizerTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void neverAdmitsMoreThanTheLimitPerKeyUnderContention(int limit) throws Exception {
        Linearizer linearizer = new Linearizer("contention", limit);
        int keys = 10;
        ConcurrentHashMap<Integer, AtomicInteger> current = new ConcurrentHashMap<>();
        ConcurrentHashMap<Integer, AtomicInteger> peak = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int key = i % keys;
                tasks.add(executor.submit(() -> {
                    go.await();
                    for (int round = 0; round < 5; round++) {
                        try (Linearizer.Permit permit = linearizer.acquire(key)) {
                            int now = current.computeIfAbsent(key, k -> new AtomicInteger())
                                    .incrementAndGet();
                            peak.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                            Thread.yield();
                            current.get(key).decrementAndGet();
                        }
                    }
                    completed.incrementAndGet();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> task : tasks) {
                task.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(completed.get()).isEqualTo(200);
        assertThat(peak.values()).allSatisfy(p -> assertThat(p.get()).isBetween(1, limit));
        assertThat(linearizer.activeKeys()).isZero();
    }

    @Test
    void grantsASingleKeyInArrivalOrder() throws Exception {
        Linearizer linearizer = new Linearizer("fifo");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Linearizer.Permit first = linearizer.acquire("room");
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int id = i;
            waiters.add(Thread.ofVirtual().start(() -> {
                try (Linearizer.Permit permit = linearizer.acquire("room")) {
                    order.add(id);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
            int queued = i + 1;
            TestWaits.until(() -> linearizer.waiting("room") == queued);
        }
        first.close();
        for (Thread waiter : waiters) {
            waiter.join();
        }
        assertThat(order)
                .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        assertThat(linearizer.activeKeys()).isZero();
    }

    @Test
    void otherKeysAreNotBlocked() throws Exception {
        Linearizer linearizer = new Linearizer("keys");
        try (Linearizer.Permit a = linearizer.acquire("a")) {
            CompletableFuture<Linearizer.Permit> b = linearizer.acquireAsync("b");
            assertThat(b).isCompleted();
            b.join().close();
        }
    }

    @Test
    void interruptedWaiterLeavesTheQueueWithoutTakingTheSlot() throws Exception {
        Linearizer linearizer = new Linearizer("interrupt");
        Linearizer.Permit held = linearizer.acquire("k");
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread quitter = Thread.ofVirtual().start(() -> {
            try {
                linearizer.acquire("k").close();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        TestWaits.until(() -> linearizer.waiting("k") == 1);
        CompletableFuture<Linearizer.Permit> next = linearizer.acquireAsync("k");
        quitter.interrupt();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(linearizer.waiting("k")).isEqualTo(1);

        held.close();
        // the slot skips the interrupted waiter and goes to the one behind it
        assertThat(next).isCompleted();
        next.join().close();
        assertThat(linearizer.activeKeys()).isZero();
    }

    @Test
    void cancelledWaiterDoesNotBlockTheQueue() throws Exception {
        Linearizer linearizer = new Linearizer("cancel");
        Linearizer.Permit held = linearizer.acquire("k");
        CompletableFuture<Linearizer.Permit> cancelled = linearizer.acquireAsync("k");
        CompletableFuture<Linearizer.Permit> behind = linearizer.acquireAsync("k");
        assertThat(cancelled.cancel(false)).isTrue();
        assertThat(linearizer.waiting("k")).isEqualTo(1);
        held.close();
        assertThat(behind).isCompleted();
        behind.join().close();
        assertThat(linearizer.activeKeys()).isZero();
    }

    @Test
    void cancellationsRacingWithReleasesNeverLeakSlots() throws Exception {
        Linearizer linearizer = new Linearizer("race", 2);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int id = i;
                tasks.add(executor.submit(() -> {
                    CompletableFuture<Linearizer.Permit> pending = linearizer.acquireAsync(id % 4);
                    if (id % 3 == 0 && pending.cancel(false)) {
                        return null;
                    }
                    Thread.yield();
                    pending.join().close();
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(linearizer.activeKeys()).isZero();
        // every key is free again: the full limit can be taken at once
        for (int key = 0; key < 4; key++) {
            CompletableFuture<Linearizer.Permit> one = linearizer.acquireAsync(key);
            CompletableFuture<Linearizer.Permit> two = linearizer.acquireAsync(key);
            assertThat(one).isCompleted();
            assertThat(two).isCompleted();
            one.join().close();
            two.join().close();
        }
    }

    @Test
    void closingAPermitTwiceReleasesOnce() throws Exception {
        Linearizer linearizer = new Linearizer("twice");
        Linearizer.Permit first = linearizer.acquire("k");
        CompletableFuture<Linearizer.Permit> second = linearizer.acquireAsync("k");
        CompletableFuture<Linearizer.Permit> third = linearizer.acquireAsync("k");
        first.close();
        first.close();
        assertThat(second).isCompleted();
        assertThat(third).isNotCompleted();
        second.join().close();
        third.join().close();
    }

    @Test
    void rejectsALimitBelowOne() {
        assertThatThrownBy(() -> new Linearizer("bad", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
