package dev.myelin.http.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final ManualClock clock = new ManualClock();
    private final RateLimiter limiter = new RateLimiter(clock);

    @Test
    void allowsExactlyBurstCountAtOnce() {
        RateLimit limit = new RateLimit(0.5, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.tryAcquire("login", "1.2.3.4", limit)).isZero();
        }
        assertThat(limiter.tryAcquire("login", "1.2.3.4", limit))
                .isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void refillsOneTokenPerIntervalExactlyAtTheBoundary() {
        RateLimit limit = new RateLimit(10, 1);
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();

        clock.advance(Duration.ofNanos(99_999_999));
        assertThat(limiter.tryAcquire("a", "k", limit)).isEqualTo(1);

        clock.advance(Duration.ofNanos(1));
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
        assertThat(limiter.tryAcquire("a", "k", limit)).isEqualTo(100_000_000);
    }

    @Test
    void refusedRequestsDoNotConsumeTokens() {
        RateLimit limit = new RateLimit(1, 1);
        limiter.tryAcquire("a", "k", limit);
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire("a", "k", limit);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
    }

    @Test
    void aRefundGivesBackExactlyOneRequestAndNeverMoreThanTheBurst() {
        RateLimit limit = new RateLimit(1, 2);
        limiter.tryAcquire("a", "k", limit);
        limiter.tryAcquire("a", "k", limit);
        limiter.refund("a", "k", limit);
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
        assertThat(limiter.tryAcquire("a", "k", limit))
                .isEqualTo(Duration.ofSeconds(1).toNanos());

        // refunds beyond what was taken leave the bucket merely full
        limiter.refund("a", "k", limit);
        limiter.refund("a", "k", limit);
        limiter.refund("a", "k", limit);
        limiter.refund("never-used", "k", limit);
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
        assertThat(limiter.tryAcquire("a", "k", limit)).isPositive();
        assertThat(limiter.tryAcquire("never-used", "k", limit)).isZero();
    }

    @Test
    void longIdleDoesNotBankMoreThanBurst() {
        RateLimit limit = new RateLimit(1, 2);
        clock.advance(Duration.ofHours(1));
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
        assertThat(limiter.tryAcquire("a", "k", limit)).isZero();
        assertThat(limiter.tryAcquire("a", "k", limit)).isPositive();
    }

    @Test
    void bucketsAreSeparatePerActionAndKey() {
        RateLimit limit = new RateLimit(1, 1);
        assertThat(limiter.tryAcquire("message", "@a:hs", limit)).isZero();
        assertThat(limiter.tryAcquire("message", "@b:hs", limit)).isZero();
        assertThat(limiter.tryAcquire("invite", "@a:hs", limit)).isZero();
        assertThat(limiter.tryAcquire("message", "@a:hs", limit)).isPositive();
    }

    @Test
    void checkThrowsLimitExceededWithRetryAfterRoundedUp() {
        RateLimit limit = new RateLimit(3, 1);
        limiter.check("a", "k", limit);

        assertThatThrownBy(() -> limiter.check("a", "k", limit)).isInstanceOfSatisfying(MatrixException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.errcode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(e.retryAfterMs()).hasValue(334);
        });
    }

    @Test
    void rejectsNonsensicalLimits() {
        assertThatThrownBy(() -> new RateLimit(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
