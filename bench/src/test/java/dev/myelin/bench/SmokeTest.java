package dev.myelin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The generator against the in-process ceilings for a fraction of a second: the harness works. */
class SmokeTest {

    @Test
    void closedLoopMeasuresBothCeilings() throws Exception {
        try (Ceiling ceiling = new Ceiling();
                MatrixHttp http = new MatrixHttp(ceiling.baseUrl(), Duration.ofSeconds(10))) {
            ClosedLoop.Result fixed = ClosedLoop.run(
                    4,
                    Duration.ofMillis(300),
                    200,
                    (w, s) -> http.send(http.request("/fixed", null, Duration.ofSeconds(10))
                            .GET()
                            .build()));
            ClosedLoop.Result insert = ClosedLoop.run(
                    4,
                    Duration.ofMillis(300),
                    200,
                    (w, s) -> http.send(http.request("/insert", null, Duration.ofSeconds(10))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                            .build()));

            assertThat(fixed.errors()).isZero();
            assertThat(fixed.ops()).isPositive();
            assertThat(fixed.latency().p50())
                    .isPositive()
                    .isLessThanOrEqualTo(fixed.latency().p99());
            assertThat(insert.errors()).isZero();
            assertThat(insert.ops()).isPositive();
        }
    }

    @Test
    void closedLoopStopsAtItsCount() {
        ClosedLoop.Result r = ClosedLoop.run(3, Duration.ofSeconds(10), 7, (w, s) -> {});
        assertThat(r.ops()).isEqualTo(7);
    }

    @Test
    void percentilesAreExact() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }
        Latencies l = Latencies.ofNanos(nanos);
        assertThat(l.p50()).isEqualTo(50.0);
        assertThat(l.p99()).isEqualTo(99.0);
        assertThat(l.max()).isEqualTo(100.0);
    }

    @Test
    void heapHistogramKeepsTheLargestClassesAndTheTotal() {
        String jcmd = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          4000         640000  [B (java.base@25)
                   2:          3000          72000  java.lang.String (java.base@25)
                   3:            10        1000000  [J (java.base@25)
                   4:             1             16  dev.myelin.Small
                Total          7011        1712016
                """;
        HeapHistogram h = HeapHistogram.parse(jcmd, 2);
        assertThat(h.top())
                .containsExactly(
                        new HeapHistogram.Entry("[J", 10, 1_000_000), new HeapHistogram.Entry("[B", 4000, 640_000));
        assertThat(h.totalInstances()).isEqualTo(7011);
        assertThat(h.totalBytes()).isEqualTo(1_712_016);
    }
}
