package dev.myelin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of the workers mode that need no processes: the room hash, the budget, the CPU reading. */
class WorkersBenchTest {

    @Test
    void writerIndexIsTheDocumentedRoomHash() {
        // first four bytes of SHA-256("!x:y") = 2,560,260,274 (computed independently)
        assertThat(WorkersBench.writerIndex("!x:y", 2)).isZero();
        assertThat(WorkersBench.writerIndex("!x:y", 3)).isEqualTo(1);
        // 4,132,752,656: above Integer.MAX_VALUE, so read unsigned
        assertThat(WorkersBench.writerIndex("!a:bench.local", 3)).isEqualTo(2);
        assertThat(WorkersBench.writerIndex("!a:bench.local", 1)).isZero();
    }

    @Test
    void quickBudgetKeepsTheWholeWorkersRunShort() {
        assertThat(WorkersBench.budget(Plan.quick(50))).isLessThanOrEqualTo(Duration.ofSeconds(70));
        assertThat(WorkersBench.budget(Plan.standard(50))).isGreaterThan(WorkersBench.budget(Plan.quick(50)));
    }

    @Test
    void processCpuReadsThisProcess() {
        ProcessCpu cpu = new ProcessCpu(Map.of("self", ProcessHandle.current().pid()));
        var before = cpu.sample();
        long sink = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sink += i ^ (sink >>> 3);
        }
        ProcessCpu.Usage used = cpu.since(before);

        assertThat(sink).isNotZero();
        assertThat(used.byProcess()).containsOnlyKeys("self");
        assertThat(used.total()).isPositive();
        assertThat(ProcessCpu.none().isEmpty()).isTrue();
    }
}
