package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How long {@code .well-known} answers are kept, on a manual clock: cache headers within 5 minutes
 * and 48 hours, 24 hours without them, an hour for failures (two minutes right after a valid
 * answer), refreshed once 80% of the period has passed, and a passing outage during the refresh
 * keeps the delegation already known.
 */
class WellKnownCacheTest {
    private static final ServerName SERVER = new ServerName("example.test");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<Supplier<OutboundResponse>> answer = new AtomicReference<>();
    private final HttpTransport transport = request -> {
        fetches.incrementAndGet();
        assertThat(request.uri().toString()).isEqualTo("https://example.test/.well-known/matrix/server");
        return answer.get().get();
    };
    private final ServerDiscovery discovery = new ServerDiscovery(transport, new FakeDns(), clock);

    private static Supplier<OutboundResponse> delegation(String server, Map<String, List<String>> headers) {
        byte[] body = ("{\"m.server\":\"" + server + "\"}").getBytes(StandardCharsets.UTF_8);
        return () -> new OutboundResponse(200, headers, body);
    }

    private static Supplier<OutboundResponse> status(int status) {
        return () -> new OutboundResponse(status, Map.of(), new byte[0]);
    }

    private static Supplier<OutboundResponse> unreachable() {
        return () -> {
            throw new OutboundHttpException("connection refused", null);
        };
    }

    private String delegatedTo() {
        return discovery.resolve(SERVER).delegatedTo().map(ServerName::value).orElse("none");
    }

    /** Asks at {@code at} after the first fetch (time 0) and says whether a new fetch happened. */
    private boolean fetchesAt(Duration at, Duration[] elapsed) {
        clock.advance(at.minus(elapsed[0]));
        elapsed[0] = at;
        int before = fetches.get();
        delegatedTo();
        return fetches.get() > before;
    }

    private void assertRefetchedBetween(Duration kept, Duration refetched) {
        Duration[] elapsed = {Duration.ZERO};
        assertThat(fetches.get()).isEqualTo(1);
        assertThat(fetchesAt(kept, elapsed)).as("fetched again at %s", kept).isFalse();
        assertThat(fetchesAt(refetched, elapsed))
                .as("fetched again at %s", refetched)
                .isTrue();
    }

    @Test
    void withoutCacheHeadersAnAnswerIsKept24HoursAndRefreshedInItsLastFifth() {
        answer.set(delegation("matrix.example.test:8448", Map.of()));
        assertThat(delegatedTo()).isEqualTo("matrix.example.test:8448");
        // 80% of 24 h is 19 h 12 min
        assertRefetchedBetween(Duration.ofMinutes(19 * 60 + 11), Duration.ofMinutes(19 * 60 + 12));
    }

    @Test
    void maxAgeSetsThePeriod() {
        answer.set(delegation("matrix.example.test:8448", Map.of("cache-control", List.of("public, max-age=3600"))));
        delegatedTo();
        assertRefetchedBetween(Duration.ofMinutes(47), Duration.ofMinutes(48));
    }

    @Test
    void aPeriodOver48HoursIsCapped() {
        answer.set(delegation("matrix.example.test:8448", Map.of("cache-control", List.of("max-age=31536000"))));
        delegatedTo();
        // 80% of 48 h is 38 h 24 min
        assertRefetchedBetween(Duration.ofMinutes(38 * 60 + 23), Duration.ofMinutes(38 * 60 + 24));
    }

    @Test
    void noStoreAndTinyPeriodsStillKeepTheAnswerFiveMinutes() {
        answer.set(delegation("matrix.example.test:8448", Map.of("cache-control", List.of("no-store"))));
        delegatedTo();
        // 80% of 5 min is 4 min
        assertRefetchedBetween(Duration.ofSeconds(239), Duration.ofSeconds(240));
    }

    @Test
    void expiresSetsThePeriodOnTheWallClock() {
        answer.set(delegation("matrix.example.test:8448", Map.of("expires", List.of("Thu, 01 Jan 2026 10:00:00 GMT"))));
        delegatedTo();
        // 10 h from the clock's start; 80% is 8 h
        assertRefetchedBetween(Duration.ofMinutes(479), Duration.ofMinutes(480));
    }

    @Test
    void failuresAreKeptAnHour() {
        answer.set(status(404));
        assertThat(delegatedTo()).isEqualTo("none");
        assertRefetchedBetween(Duration.ofMinutes(47), Duration.ofMinutes(48));
    }

    @Test
    void unreachableServersAreKeptAnHourToo() {
        answer.set(unreachable());
        assertThat(delegatedTo()).isEqualTo("none");
        assertRefetchedBetween(Duration.ofMinutes(47), Duration.ofMinutes(48));
    }

    @Test
    void aFailureRightAfterAValidAnswerIsKeptTwoMinutesOnly() {
        answer.set(delegation("matrix.example.test:8448", Map.of("cache-control", List.of("max-age=600"))));
        assertThat(delegatedTo()).isEqualTo("matrix.example.test:8448");
        clock.advance(Duration.ofMinutes(10));
        answer.set(status(404));
        assertThat(delegatedTo()).isEqualTo("none");
        assertThat(fetches.get()).isEqualTo(2);
        // 80% of 2 min is 96 s
        clock.advance(Duration.ofSeconds(95));
        delegatedTo();
        assertThat(fetches.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        answer.set(delegation("matrix2.example.test:8448", Map.of()));
        assertThat(delegatedTo()).isEqualTo("matrix2.example.test:8448");
        assertThat(fetches.get()).isEqualTo(3);
    }

    @Test
    void anOutageDuringTheRefreshKeepsTheKnownDelegationUntilItExpires() {
        answer.set(delegation("matrix.example.test:8448", Map.of("cache-control", List.of("max-age=1000"))));
        delegatedTo();
        clock.advance(Duration.ofSeconds(800));
        answer.set(unreachable());
        assertThat(delegatedTo()).isEqualTo("matrix.example.test:8448");
        assertThat(fetches.get()).isEqualTo(2);
        // tried again every 2 minutes, not on every call
        clock.advance(Duration.ofSeconds(119));
        assertThat(delegatedTo()).isEqualTo("matrix.example.test:8448");
        assertThat(fetches.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        answer.set(status(502));
        assertThat(delegatedTo()).isEqualTo("matrix.example.test:8448");
        assertThat(fetches.get()).isEqualTo(3);
        // the next try is at expiry (1000 s), where the delegation is dropped
        clock.advance(Duration.ofSeconds(79));
        assertThat(delegatedTo()).isEqualTo("matrix.example.test:8448");
        assertThat(fetches.get()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        assertThat(delegatedTo()).isEqualTo("none");
        assertThat(fetches.get()).isEqualTo(4);
    }

    @Test
    void aDefinitiveAnswerDuringTheRefreshReplacesTheKnownDelegation() {
        answer.set(delegation("matrix.example.test:8448", Map.of("cache-control", List.of("max-age=1000"))));
        delegatedTo();
        clock.advance(Duration.ofSeconds(900));
        answer.set(status(404));
        assertThat(delegatedTo()).isEqualTo("none");
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Supplier<OutboundResponse> valid = delegation("matrix.example.test:8448", Map.of());
        answer.set(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new OutboundHttpException("interrupted", e);
            }
            return valid.get();
        });
        List<String> results = new CopyOnWriteArrayList<>();
        Thread first = Thread.ofVirtual().start(() -> results.add(delegatedTo()));
        awaitUntil(() -> fetches.get() == 1);
        Thread second = Thread.ofVirtual().start(() -> results.add(delegatedTo()));
        awaitUntil(() -> second.getState() == Thread.State.WAITING);
        release.countDown();
        first.join(Duration.ofSeconds(5));
        second.join(Duration.ofSeconds(5));
        assertThat(results).containsExactly("matrix.example.test:8448", "matrix.example.test:8448");
        assertThat(fetches.get()).isEqualTo(1);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void namesThatNeedNoWellKnownNeverFetchIt() {
        answer.set(status(500));
        discovery.resolve(new ServerName("example.test:8448"));
        discovery.resolve(new ServerName("192.0.2.1"));
        discovery.resolve(new ServerName("[2001:db8::1]:443"));
        assertThat(fetches.get()).isZero();
    }
}
