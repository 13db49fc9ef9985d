package dev.myelin.server.handler.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloadBucketTest {
    @Test
    void eachRequesterHasABucketThatDrainsAtTheConfiguredRate() {
        ManualClock clock = new ManualClock();
        DownloadBucket bucket = new DownloadBucket(clock, 1000, 100);

        assertThat(bucket.tryCharge("1.2.3.4", 600)).isTrue();
        assertThat(bucket.mayFetch("1.2.3.4")).isTrue();
        assertThat(bucket.tryCharge("1.2.3.4", 600)).as("does not fit").isFalse();
        assertThat(bucket.tryCharge("5.6.7.8", 600)).as("another requester").isTrue();

        clock.advance(Duration.ofSeconds(2)); // 200 drained: 400 in the bucket
        assertThat(bucket.tryCharge("1.2.3.4", 600)).isTrue();
        assertThat(bucket.mayFetch("1.2.3.4")).as("full").isFalse();
        clock.advance(Duration.ofMillis(10));
        assertThat(bucket.mayFetch("1.2.3.4")).isTrue();
    }
}
