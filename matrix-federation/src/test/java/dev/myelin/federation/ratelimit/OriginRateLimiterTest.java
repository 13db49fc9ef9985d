package dev.myelin.federation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.ServerRequestGate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OriginRateLimiterTest {
    private static final ServerName BUSY = ServerName.parse("busy.example");
    private static final ServerName QUIET = ServerName.parse("quiet.example");

    private final ManualClock clock = new ManualClock();

    @Test
    void atMostConcurrentRequestsOfOneOriginRunAtOnceAndTheNextStartsWhenOneEnds() throws Exception {
        OriginRateLimiter limiter =
                limiter(new FederationRateLimitConfig(Duration.ofSeconds(1), 100, Duration.ZERO, 50, 2));
        ServerRequestGate.Permit first = limiter.enter(BUSY);
        ServerRequestGate.Permit second = limiter.enter(BUSY);
        CompletableFuture<ServerRequestGate.Permit> third = enterLater(limiter, BUSY);

        assertThatThrownBy(() -> third.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(limiter.running(BUSY)).isEqualTo(2);
        // another server is not held up by the busy one
        limiter.enter(QUIET).close();

        first.close();
        third.get(10, TimeUnit.SECONDS).close();
        second.close();
        assertThat(limiter.running(BUSY)).isZero();
    }

    @Test
    void requestsBeyondTheSleepLimitInTheWindowAreDelayedOnTheClock() throws Exception {
        OriginRateLimiter limiter =
                limiter(new FederationRateLimitConfig(Duration.ofSeconds(1), 2, Duration.ofMillis(500), 50, 10));
        limiter.enter(BUSY).close();
        limiter.enter(BUSY).close();
        CompletableFuture<ServerRequestGate.Permit> third = enterLater(limiter, BUSY);

        awaitSleepers(1);
        assertThat(third).isNotDone();
        clock.advance(Duration.ofMillis(500));
        third.get(10, TimeUnit.SECONDS).close();

        // once the window has passed, requests run at once again
        clock.advance(Duration.ofSeconds(2));
        limiter.enter(BUSY).close();
        assertThat(clock.pendingSleepers()).isZero();
    }

    @Test
    void tooManyWaitingRequestsAreRefusedWith429() throws Exception {
        OriginRateLimiter limiter =
                limiter(new FederationRateLimitConfig(Duration.ofSeconds(1), 100, Duration.ZERO, 1, 1));
        ServerRequestGate.Permit running = limiter.enter(BUSY);
        CompletableFuture<ServerRequestGate.Permit> waiting1 = enterLater(limiter, BUSY);
        CompletableFuture<ServerRequestGate.Permit> waiting2 = enterLater(limiter, BUSY);
        Thread.sleep(200);

        assertThatThrownBy(() -> limiter.enter(BUSY)).isInstanceOfSatisfying(MatrixException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.toJson().path("errcode").asText()).isEqualTo("M_LIMIT_EXCEEDED");
        });
        limiter.enter(QUIET).close();

        running.close();
        waiting1.get(10, TimeUnit.SECONDS).close();
        waiting2.get(10, TimeUnit.SECONDS).close();
        limiter.enter(BUSY).close();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new FederationRateLimitConfig(Duration.ZERO, 1, Duration.ZERO, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FederationRateLimitConfig(Duration.ofSeconds(1), 1, Duration.ZERO, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private OriginRateLimiter limiter(FederationRateLimitConfig config) {
        return new OriginRateLimiter(config, clock);
    }

    private static CompletableFuture<ServerRequestGate.Permit> enterLater(
            OriginRateLimiter limiter, ServerName origin) {
        CompletableFuture<ServerRequestGate.Permit> future = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                future.complete(limiter.enter(origin));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    private void awaitSleepers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.pendingSleepers() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(clock.pendingSleepers()).isEqualTo(count);
    }
}
