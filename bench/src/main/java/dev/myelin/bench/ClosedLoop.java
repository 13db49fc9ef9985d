package dev.myelin.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load generator: {@code concurrency} virtual threads each send one request, wait for
 * its answer and send the next, until {@code maxOps} requests have been started or the time is up,
 * whichever comes first. So the offered load adapts to what the server accepts, and the run always
 * ends by itself.
 */
public final class ClosedLoop {

    /** One request; {@code worker} is the thread's index, {@code seq} a run-wide sequence number. */
    @FunctionalInterface
    public interface Operation {
        void call(int worker, long seq) throws Exception;
    }

    /** What a run did: successful operations, failures, wall time and the latency of the successes. */
    public record Result(long ops, long errors, double seconds, Latencies latency, String firstError) {
        public double perSecond() {
            return seconds > 0 ? ops / seconds : 0;
        }
    }

    private ClosedLoop() {}

    public static Result run(int concurrency, Duration duration, long maxOps, Operation operation) {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<LongList> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int w = 0; w < concurrency; w++) {
            LongList mine = new LongList();
            samples.add(mine);
            int worker = w;
            threads.add(Thread.ofVirtual().name("load-", w).start(() -> {
                while (System.nanoTime() < deadline) {
                    long seq = next.getAndIncrement();
                    if (seq >= maxOps) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    try {
                        operation.call(worker, seq);
                        mine.add(System.nanoTime() - t0);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                // Each call is bounded by its HTTP timeout; this is a backstop.
                if (!thread.join(duration.plusMinutes(2))) {
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = LongList.concat(samples);
        return new Result(all.length, errors.get(), seconds, Latencies.ofNanos(all), firstError.get());
    }
}
