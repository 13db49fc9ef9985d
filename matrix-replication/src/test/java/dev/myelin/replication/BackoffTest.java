package dev.myelin.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFrom100MillisecondsUpTo2SecondsAndStartsOverAfterAReset() {
        Backoff backoff = new Backoff();

        assertThat(Stream.generate(backoff::next).limit(8).map(Duration::toMillis))
                .containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    }
}
