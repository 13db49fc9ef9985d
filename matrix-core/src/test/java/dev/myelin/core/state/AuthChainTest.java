package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthChainTest {
    private final TestDag dag = new TestDag(RoomVersions.V10);
    private final Pdu create = dag.create();
    private final Pdu aliceJoin =
            dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
    private final Pdu power = dag.state(
            "m.room.power_levels",
            "",
            ALICE,
            "{users: {'" + ALICE + "': 100}}",
            List.of(create, aliceJoin),
            List.of(aliceJoin));
    private final Pdu joinRules = dag.state(
            "m.room.join_rules", "", ALICE, "{join_rule: 'public'}", List.of(create, aliceJoin, power), List.of(power));
    private final Pdu bobJoin = dag.state(
            "m.room.member", BOB, BOB, "{membership: 'join'}", List.of(create, power, joinRules), List.of(joinRules));

    @Test
    void chainHoldsAuthEventsTransitivelyButNotTheEventItself() {
        assertThat(AuthChain.of(bobJoin, dag.lookup()))
                .containsExactlyInAnyOrder(create.eventId(), aliceJoin.eventId(), power.eventId(), joinRules.eventId());
        assertThat(AuthChain.of(create, dag.lookup())).isEmpty();
    }

    @Test
    void differenceIsWhatIsNotInEveryStateSetsChain() {
        Pdu topic = dag.state(
                "m.room.topic", "", ALICE, "{topic: 'x'}", List.of(create, aliceJoin, power), List.of(bobJoin));
        // The first set's chain holds join rules (through Bob's join), the second set's does not.
        List<List<EventId>> sets = List.of(List.of(bobJoin.eventId()), List.of(topic.eventId()));
        assertThat(AuthChain.difference(sets, dag.lookup())).containsExactly(joinRules.eventId());
    }

    @Test
    void unknownAuthEventsAreInTheChainButNotFollowed() {
        EventLookup partial = id ->
                id.equals(power.eventId()) ? Optional.empty() : dag.lookup().find(id);
        assertThat(AuthChain.of(joinRules, partial))
                .containsExactlyInAnyOrder(create.eventId(), aliceJoin.eventId(), power.eventId());
    }

    @Test
    void longChainsAreWalkedWithoutRecursion() {
        List<Pdu> chain = new ArrayList<>(List.of(create));
        for (int i = 0; i < 20_000; i++) {
            Pdu last = chain.getLast();
            chain.add(dag.state("m.room.topic", "", ALICE, "{topic: 't'}", List.of(last), List.of(last)));
        }
        assertThat(AuthChain.of(chain.getLast(), dag.lookup())).hasSize(20_000);
    }
}
