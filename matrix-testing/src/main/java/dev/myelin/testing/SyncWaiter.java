package dev.myelin.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The waiting behind {@link TestClient}'s wait helpers, from one client's {@code /sync} position:
 * the waits that move a {@link FakeClock} (long-polls that advance it while nothing arrives), and
 * the ones that leave every clock alone (short polls in real time).
 */
final class SyncWaiter {
    /** The least clock time one long-poll of a wait helper covers on a fake clock. */
    private static final Duration POLL_STEP = Duration.ofSeconds(1);
    /** A long wait on a fake clock is cut into about this many long-polls. */
    private static final int POLLS_PER_WAIT = 20;
    /** The longest single long-poll on the system clock. */
    private static final Duration WALL_CLOCK_POLL = Duration.ofSeconds(10);
    /** Real time a long-poll gets to be woken by an event before the fake clock is advanced. */
    private static final Duration GRACE = Duration.ofMillis(20);
    /** The least real time a wait lasts before it can fail, however fast the fake clock ran. */
    private static final Duration REAL_TIME_PATIENCE = Duration.ofSeconds(5);
    /** A single long-poll that takes longer than this in real time is stuck. */
    private static final Duration POLL_REAL_TIME_LIMIT = Duration.ofSeconds(25);
    /** Real time between two polls of the waits that leave the clock alone. */
    static final Duration REAL_TIME_POLL = Duration.ofMillis(15);

    private final TestClient client;
    private final TestHomeserver server;
    private final AtomicReference<String> since;

    SyncWaiter(TestClient client, TestHomeserver server, AtomicReference<String> since) {
        this.client = client;
        this.server = server;
        this.since = since;
    }

    /** Long-polls from the position until a response matches, advancing a fake clock meanwhile. */
    SyncResponse awaitSync(Predicate<SyncResponse> condition, Duration timeout, Supplier<String> failure) {
        Clock time = server.time();
        long timeoutNanos = timeout.toNanos();
        long clockStart = time.monotonicNanos();
        long realStart = System.nanoTime();
        // long waits take bigger steps; FakeClock.advance still wakes every timer in order
        Duration step = timeout.dividedBy(POLLS_PER_WAIT).compareTo(POLL_STEP) > 0
                ? timeout.dividedBy(POLLS_PER_WAIT)
                : POLL_STEP;
        if (since.get() == null) {
            SyncResponse initial = client.sync();
            if (condition.test(initial)) {
                return initial;
            }
        }
        while (true) {
            long remaining = timeoutNanos - (time.monotonicNanos() - clockStart);
            boolean patient = System.nanoTime() - realStart < REAL_TIME_PATIENCE.toNanos();
            if (remaining <= 0 && (server.isWallClock() || !patient)) {
                throw new AssertionError(failure.get() + " (waited " + timeout + " on the homeserver's clock)");
            }
            long pollMillis = server.isWallClock()
                    ? Math.clamp(TimeUnit.NANOSECONDS.toMillis(remaining), 0, WALL_CLOCK_POLL.toMillis())
                    : remaining <= 0
                            ? 0
                            : Math.min(step.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            if (pollMillis == 0 && !server.isWallClock()) {
                // the clock budget is spent: give other threads real time, without moving the clock
                pauseRealTime(GRACE);
            }
            SyncResponse response = longPoll(pollMillis);
            since.set(response.nextBatch());
            if (condition.test(response)) {
                return response;
            }
        }
    }

    /**
     * Polls {@code /sync?timeout=0} from the position, every {@link #REAL_TIME_POLL} of real time,
     * until a response matches; no clock is touched, and the wait fails after {@code realTimeout}
     * of real time.
     */
    SyncResponse awaitSyncInRealTime(
            Predicate<SyncResponse> condition, Duration realTimeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + realTimeout.toNanos();
        while (true) {
            SyncResponse response = client.sync();
            if (condition.test(response)) {
                return response;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(failure.get() + " (waited " + realTimeout + " of real time)");
            }
            pauseRealTime(REAL_TIME_POLL);
        }
    }

    /**
     * Polls from the position (or from now, for a client that never synced) for {@code window} of
     * real time, failing as soon as a timeline event of {@code roomId} matches; the position stays
     * where it was and no clock is touched.
     */
    void assertNoEvent(String roomId, Predicate<ClientEvent> condition, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        String cursor = since.get() != null ? since.get() : rawSync(null).nextBatch();
        List<String> seen = new ArrayList<>();
        while (true) {
            SyncResponse response = rawSync(cursor);
            for (ClientEvent event : response.timeline(roomId)) {
                if (condition.test(event)) {
                    throw new AssertionError("an event matched in " + roomId + " for " + client.userId()
                            + ", where none should within " + window + ": " + event + "; before it: " + seen);
                }
                seen.add(event.type() + " from " + event.sender());
            }
            cursor = response.nextBatch();
            if (System.nanoTime() - deadline >= 0) {
                return;
            }
            pauseRealTime(REAL_TIME_POLL);
        }
    }

    private SyncResponse rawSync(@Nullable String from) {
        return new SyncResponse(client.call(syncCall(from, 0)).expect(200).json());
    }

    /** One sync long-poll; on a fake clock, advances it until the poll returns. */
    private SyncResponse longPoll(long timeoutMillis) {
        EndpointCall<NoBody, ObjectNode> sync = syncCall(since.get(), timeoutMillis);
        CompletableFuture<TestResponse> poll = new CompletableFuture<>();
        Thread.ofVirtual().name("test-sync-" + client.userId()).start(() -> {
            try {
                poll.complete(client.call(sync));
            } catch (RuntimeException | Error e) {
                poll.completeExceptionally(e);
            }
        });
        long realDeadline = System.nanoTime() + POLL_REAL_TIME_LIMIT.toNanos();
        while (true) {
            try {
                return new SyncResponse(poll.get(GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .expect(200)
                        .json());
            } catch (TimeoutException e) {
                if (System.nanoTime() > realDeadline) {
                    throw new AssertionError("a /sync long-poll of " + timeoutMillis + " ms did not return within "
                            + POLL_REAL_TIME_LIMIT + " of real time");
                }
                if (!server.isWallClock()) {
                    // the poll is asleep on the clock (or about to be): let its timeout pass
                    server.clock().advance(Duration.ofMillis(timeoutMillis));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for /sync", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) e.getCause();
            }
        }
    }

    private static void pauseRealTime(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for /sync", e);
        }
    }

    static EndpointCall<NoBody, ObjectNode> syncCall(@Nullable String since, long timeoutMillis) {
        EndpointCall<NoBody, ObjectNode> call =
                EndpointCall.of(SyncEndpoint.SPEC).query("timeout", timeoutMillis);
        return since == null ? call : call.query("since", since);
    }
}
