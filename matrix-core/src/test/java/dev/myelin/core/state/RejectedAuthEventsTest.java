package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The iterative auth checks fall back on an event's own auth events for keys the state lacks, but
 * never on a rejected one. In room version 12 the power events' checks start from an empty state,
 * so the later checks read the senders' memberships from their events' auth events.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v12/#rejected-events">Rejected events (v12)</a>
 */
class RejectedAuthEventsTest {
    private final TestDag dag = new TestDag(RoomVersions.V12);
    private final Pdu create = dag.create();
    private final Pdu aliceJoin =
            dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
    private final Pdu power = dag.state(
            "m.room.power_levels",
            "",
            ALICE,
            "{events: {'m.room.topic': 0}}",
            List.of(create, aliceJoin),
            List.of(aliceJoin));
    private final Pdu joinRules = dag.state(
            "m.room.join_rules", "", ALICE, "{join_rule: 'public'}", List.of(create, aliceJoin, power), List.of(power));
    private final Pdu carolJoin = dag.state(
            "m.room.member",
            CAROL,
            CAROL,
            "{membership: 'join'}",
            List.of(create, power, joinRules),
            List.of(joinRules));
    private final Pdu carolRename = dag.state(
            "m.room.member",
            CAROL,
            CAROL,
            "{membership: 'join', displayname: 'Carol'}",
            List.of(create, power, joinRules, carolJoin),
            List.of(carolJoin));
    private final Pdu aliceTopic = dag.state(
            "m.room.topic", "", ALICE, "{topic: 'alice'}", List.of(create, power, aliceJoin), List.of(carolRename));
    // cites carol's first join, which both forks have in their auth chains (through the rename)
    private final Pdu carolTopic = dag.state(
            "m.room.topic", "", CAROL, "{topic: 'carol'}", List.of(create, power, carolJoin), List.of(carolRename));

    private List<Map<StateTuple, EventId>> forks() {
        return List.of(
                TestDag.stateSet(create, aliceJoin, power, joinRules, carolRename, aliceTopic),
                TestDag.stateSet(create, aliceJoin, power, joinRules, carolRename, carolTopic));
    }

    /** proves: the later topic wins a conflict between two topics both senders may set. */
    @Test
    void theLaterTopicWinsWhenBothSendersAreMembers() {
        Map<StateTuple, EventId> resolved = StateResolver.resolve(RoomVersions.V12, forks(), dag.lookup());

        assertThat(resolved.get(new StateTuple("m.room.topic", ""))).isEqualTo(carolTopic.eventId());
    }

    /** proves: a topic whose sender's membership is known only from a rejected auth event is not applied. */
    @Test
    void aRejectedAuthEventIsNotUsedInTheIterativeAuthChecks() {
        EventLookup all = dag.lookup();
        EventLookup carolJoinRejected = new EventLookup() {
            @Override
            public Optional<Pdu> find(EventId id) {
                return all.find(id);
            }

            @Override
            public boolean isRejected(EventId id) {
                return id.equals(carolJoin.eventId());
            }
        };

        Map<StateTuple, EventId> resolved = StateResolver.resolve(RoomVersions.V12, forks(), carolJoinRejected);

        assertThat(resolved.get(new StateTuple("m.room.topic", ""))).isEqualTo(aliceTopic.eventId());
        // the unconflicted state is put back whatever the checks said
        assertThat(resolved.get(new StateTuple("m.room.member", CAROL))).isEqualTo(carolRename.eventId());
    }
}
