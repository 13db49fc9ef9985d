package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SRV targets come in priority order, weighted at random within a priority (RFC 2782). */
class SrvOrderTest {

    @Test
    void lowerPriorityComesFirst() {
        List<SrvRecord> ordered = SrvOrder.order(
                List.of(new SrvRecord(30, 5, 1, "c"), new SrvRecord(10, 5, 1, "a"), new SrvRecord(20, 5, 1, "b")),
                new Random(1));
        assertThat(ordered).extracting(SrvRecord::target).containsExactly("a", "b", "c");
    }

    @Test
    void weightsSetHowOftenARecordComesFirst() {
        List<SrvRecord> records = List.of(new SrvRecord(0, 3, 1, "heavy"), new SrvRecord(0, 1, 1, "light"));
        Random random = new Random(42);
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            List<SrvRecord> ordered = SrvOrder.order(records, random);
            assertThat(ordered).hasSize(2);
            first.merge(ordered.getFirst().target(), 1, Integer::sum);
        }
        assertThat(first.get("heavy")).isBetween(2800, 3200);
    }

    @Test
    void weightZeroComesAfterTheWeightedRecordsOfItsPriority() {
        List<SrvRecord> records = List.of(
                new SrvRecord(0, 0, 1, "zero1"),
                new SrvRecord(0, 1, 1, "one"),
                new SrvRecord(0, 0, 1, "zero2"),
                new SrvRecord(1, 0, 1, "later"));
        for (int seed = 0; seed < 20; seed++) {
            List<SrvRecord> ordered = SrvOrder.order(records, new Random(seed));
            assertThat(ordered.getFirst().target()).isEqualTo("one");
            assertThat(ordered.subList(1, 3)).extracting(SrvRecord::target).containsExactlyInAnyOrder("zero1", "zero2");
            assertThat(ordered.getLast().target()).isEqualTo("later");
        }
    }

    @Test
    void aTrailingDotIsDroppedAndALoneDotMeansNoService() {
        assertThat(new SrvRecord(0, 0, 8448, "matrix.example.test.").target()).isEqualTo("matrix.example.test");
        assertThat(new SrvRecord(0, 0, 0, ".").isServiceUnavailable()).isTrue();
        assertThat(new SrvRecord(0, 0, 8448, "matrix.example.test").isServiceUnavailable())
                .isFalse();
    }
}
