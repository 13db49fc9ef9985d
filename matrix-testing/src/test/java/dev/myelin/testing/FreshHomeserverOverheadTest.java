package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import dev.myelin.storage.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fifty tests, each with a fresh SQLite homeserver: measures what a fresh server costs per test
 * (closing the previous one, copying the migrated template database, building and starting the
 * server) as the time between the starts of consecutive test bodies. docs/testing.md quotes it.
 */
@ExtendWith(HomeserverExtension.class)
class FreshHomeserverOverheadTest {
    private static final List<Long> STARTS = Collections.synchronizedList(new ArrayList<>());

    @RepeatedTest(50)
    void eachTestGetsAFreshServer(TestHomeserver hs) {
        STARTS.add(System.nanoTime());
        assertThat(hs.anonymous().get("/_matrix/client/versions")).isOk();
        assertThat(hs.anonymous()
                        .get("/_matrix/client/v3/register/available?username=alice")
                        .json()
                        .get("available")
                        .asBoolean())
                .as("nobody registered in this fresh database")
                .isTrue();
        hs.registerUser("alice");
    }

    @AfterAll
    static void report() {
        List<Long> gaps = new ArrayList<>();
        // the first gap still warms up the JIT; the template database was made before the first test
        for (int i = 2; i < STARTS.size(); i++) {
            gaps.add((STARTS.get(i) - STARTS.get(i - 1)) / 1_000);
        }
        Collections.sort(gaps);
        double mean = gaps.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000;
        double median = gaps.get(gaps.size() / 2) / 1000.0;

        long dbStart = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            TestDatabases.fresh(TestDatabases.Kind.SQLITE).close();
        }
        double perDatabase = (System.nanoTime() - dbStart) / 50 / 1e6;
        System.out.printf(
                "fresh SQLite homeserver per test: median %.1f ms, mean %.1f ms, p90 %.1f ms "
                        + "(of which a fresh database: %.1f ms), over %d tests%n",
                median, mean, gaps.get(gaps.size() * 9 / 10) / 1000.0, perDatabase, gaps.size());
        assertThat(median).as("median ms per test").isLessThan(2_000);
    }
}
