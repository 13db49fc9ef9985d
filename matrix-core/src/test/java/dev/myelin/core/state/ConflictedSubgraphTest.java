package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.room.RoomVersions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The conflicted state subgraph of room version 12: auth-event paths between conflicted events. */
class ConflictedSubgraphTest {
    private final TestDag dag = new TestDag(RoomVersions.V12);
    private final Pdu create = dag.create();
    private final Pdu aliceJoin =
            dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
    private final Pdu power =
            dag.state("m.room.power_levels", "", ALICE, "{}", List.of(create, aliceJoin), List.of(aliceJoin));
    private final Pdu joinRules = dag.state(
            "m.room.join_rules", "", ALICE, "{join_rule: 'public'}", List.of(create, aliceJoin, power), List.of(power));
    private final Pdu carolJoin = dag.state(
            "m.room.member",
            CAROL,
            CAROL,
            "{membership: 'join'}",
            List.of(create, power, joinRules),
            List.of(joinRules));
    private final StateResolutionV2 resolution = new StateResolutionV2(dag.version, dag.lookup(), true);

    @Test
    void holdsTheEventsOnPathsBetweenConflictedEventsAndNothingBelowThem() {
        assertThat(resolution.conflictedSubgraph(Set.of(power.eventId(), carolJoin.eventId())))
                .containsExactlyInAnyOrder(power.eventId(), joinRules.eventId(), carolJoin.eventId());
    }

    @Test
    void isJustTheConflictedEventsWhenNoPathJoinsThem() {
        Pdu topic = dag.state("m.room.topic", "", ALICE, "{topic: 't'}", List.of(aliceJoin, power), List.of(carolJoin));
        assertThat(new StateResolutionV2(dag.version, dag.lookup(), true)
                        .conflictedSubgraph(Set.of(joinRules.eventId(), topic.eventId())))
                .containsExactlyInAnyOrder(joinRules.eventId(), topic.eventId());
    }
}
