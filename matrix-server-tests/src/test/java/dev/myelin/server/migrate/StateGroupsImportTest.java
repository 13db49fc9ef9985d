package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.EventId;
import dev.myelin.core.time.SystemClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synapse's state groups become Myelin's with the same state at every event, whether a group keeps its
 * delta or, where Myelin's chain limit cuts Synapse's chain, becomes a snapshot. The fixture's chains are
 * all shorter than Myelin's limit, so the limit is lowered here to cut them.
 */
class StateGroupsImportTest {
    @TempDir
    Path dir;

    @Test
    void everyEventHasSynapsesStateWhereverChainsAreCut() {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        SynapseConfig synapse = SynapseConfig.read(fixture.config());
        Map<Long, Map<StateKey, EventId>> synapseStates = new HashMap<>();
        for (int maxChain : new int[] {2, 20}) {
            try (Database db = TestDatabases.fresh(ImportCommands.kind());
                    SourceDatabase source = SourceDatabase.open(synapse.database())) {
                Progress progress = new Progress(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        SystemClock.INSTANCE,
                        false);
                Target target = new Target(db, new ImportReport(), progress);
                ImportContext ctx = new ImportContext(source, target, "localhost", SystemClock.INSTANCE);
                new RoomsImport(ctx).run();
                new StateGroupsImport(ctx, maxChain).run();

                StateStore state = new StateStore(db);
                List<List<String>> events = fixture.rows("SELECT event_id, state_group FROM event_to_state_groups");
                assertThat(events).hasSize(374);
                for (List<String> row : events) {
                    Map<StateKey, EventId> expected = synapseStates.computeIfAbsent(
                            Long.parseLong(row.get(1)), group -> synapseState(fixture, group));
                    assertThat(state.stateAt(new EventId(row.get(0))))
                            .as("state at %s with chains of at most %d", row.get(0), maxChain)
                            .hasValue(expected);
                }
                if (maxChain == 2) {
                    int snapshots = db.read(tx -> tx.dsl()
                            .fetchCount(
                                    tx.dsl().selectOne().from("state_groups").where("chain_length = 0")));
                    assertThat(snapshots).as("groups cut into snapshots").isGreaterThan(23);
                }
            }
        }
    }

    /** What Synapse says: the deltas of the group's chain, oldest first. */
    private static Map<StateKey, EventId> synapseState(SynapseFixture fixture, long group) {
        ArrayDeque<Long> chain = new ArrayDeque<>();
        Long at = group;
        while (at != null) {
            chain.push(at);
            List<String> prev =
                    fixture.column("SELECT prev_state_group FROM state_group_edges WHERE state_group = ?", at);
            at = prev.isEmpty() ? null : Long.parseLong(prev.getFirst());
        }
        Map<StateKey, EventId> state = new HashMap<>();
        for (long g : chain) {
            fixture.rows("SELECT type, state_key, event_id FROM state_groups_state WHERE state_group = ?", g)
                    .forEach(r -> state.put(new StateKey(r.get(0), r.get(1)), new EventId(r.get(2))));
        }
        return state;
    }
}
