package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.BOB;
import static dev.myelin.core.state.TestDag.CAROL;
import static dev.myelin.core.state.TestDag.stateSet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.room.StateResolutionAlgorithm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Named scenarios for state resolution v1 (room version 1), v2 (room versions 2, 6, 10, 11) and
 * v2.1 (room version 12):
 * a room created by Alice, with Bob a moderator (level 50) and Carol joined, that forks in two;
 * each test resolves the two forks' states and checks the result is the same for every order of
 * the state sets and of their entries.
 */
class StateResolverTest {
    private static final int SHUFFLES = 20;

    static Stream<RoomVersion> versions() {
        return Stream.of(
                RoomVersions.V1,
                RoomVersions.V2,
                RoomVersions.V6,
                RoomVersions.V10,
                RoomVersions.V11,
                RoomVersions.V12);
    }

    static Stream<RoomVersion> v2Versions() {
        return versions().filter(v -> !v.equals(RoomVersions.V1));
    }

    /** The room before the fork. */
    private static final class Room {
        final TestDag dag;
        final Pdu create;
        final Pdu aliceJoin;
        final Pdu power;
        final Pdu joinRules;
        final Pdu bobJoin;
        final Pdu carolJoin;

        Room(RoomVersion version) {
            dag = new TestDag(version);
            create = dag.create();
            aliceJoin =
                    dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
            power = dag.state(
                    "m.room.power_levels",
                    "",
                    ALICE,
                    levels(version, 50),
                    List.of(create, aliceJoin),
                    List.of(aliceJoin));
            joinRules = dag.state(
                    "m.room.join_rules",
                    "",
                    ALICE,
                    "{join_rule: 'public'}",
                    List.of(create, aliceJoin, power),
                    List.of(power));
            bobJoin = dag.state(
                    "m.room.member",
                    BOB,
                    BOB,
                    "{membership: 'join'}",
                    List.of(create, power, joinRules),
                    List.of(joinRules));
            carolJoin = dag.state(
                    "m.room.member",
                    CAROL,
                    CAROL,
                    "{membership: 'join'}",
                    List.of(create, power, joinRules),
                    List.of(bobJoin));
        }

        /** Power levels giving Bob {@code bobLevel}, and Alice 100 where creators may be listed. */
        static String levels(RoomVersion version, int bobLevel) {
            String alice = version.auth().creatorsHaveInfinitePower() ? "" : "'" + ALICE + "': 100, ";
            return "{users: {" + alice + "'" + BOB + "': " + bobLevel + "}, ban: 50, events: {'m.room.topic': 50}}";
        }

        List<Pdu> base() {
            return List.of(create, aliceJoin, power, joinRules, bobJoin, carolJoin);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void unconflictedStatePassesThrough(RoomVersion version) {
        Room room = new Room(version);
        Map<StateTuple, EventId> state = stateSet(room.base().toArray(Pdu[]::new));
        assertResolvesTo(room.dag, List.of(state, state, state), state);
    }

    /** Alice demotes Bob while, in the other fork, Bob bans Carol: the higher-power change wins. */
    @ParameterizedTest
    @MethodSource("versions")
    void banRacingAPowerLevelsChangeLosesToTheMorePowerfulSender(RoomVersion version) {
        Room room = new Room(version);
        Pdu demote = room.dag.state(
                "m.room.power_levels",
                "",
                ALICE,
                Room.levels(version, 0),
                List.of(room.create, room.aliceJoin, room.power),
                List.of(room.carolJoin));
        Pdu ban = room.dag.state(
                "m.room.member",
                CAROL,
                BOB,
                "{membership: 'ban'}",
                List.of(room.create, room.power, room.bobJoin, room.carolJoin),
                List.of(room.carolJoin));
        Map<StateTuple, EventId> forkA = with(room, demote);
        Map<StateTuple, EventId> forkB = with(room, ban);

        Map<StateTuple, EventId> expected = with(room, demote);
        assertResolvesTo(room.dag, List.of(forkA, forkB), expected);
    }

    /** Bob changes the topic while Alice demotes him: the topic falls back to Alice's. */
    @ParameterizedTest
    @MethodSource("versions")
    void topicSetByADemotedModeratorIsReset(RoomVersion version) {
        Room room = new Room(version);
        Pdu topic1 = room.dag.state(
                "m.room.topic",
                "",
                ALICE,
                "{topic: 'one'}",
                List.of(room.create, room.aliceJoin, room.power),
                List.of(room.carolJoin));
        Pdu topic2 = room.dag.state(
                "m.room.topic",
                "",
                BOB,
                "{topic: 'two'}",
                List.of(room.create, room.bobJoin, room.power),
                List.of(topic1));
        Pdu demote = room.dag.state(
                "m.room.power_levels",
                "",
                ALICE,
                Room.levels(version, 0),
                List.of(room.create, room.aliceJoin, room.power),
                List.of(topic1));
        Map<StateTuple, EventId> forkA = with(room, topic2);
        Map<StateTuple, EventId> forkB = with(room, topic1, demote);

        assertResolvesTo(room.dag, List.of(forkA, forkB), with(room, topic1, demote));
    }

    /** Alice makes the room invite-only while, in the other fork, Zara joins: the join is dropped. */
    @ParameterizedTest
    @MethodSource("v2Versions")
    void joinRacingAJoinRulesChangeIsDropped(RoomVersion version) {
        Room room = new Room(version);
        Pdu inviteOnly = room.dag.state(
                "m.room.join_rules",
                "",
                ALICE,
                "{join_rule: 'invite'}",
                List.of(room.create, room.aliceJoin, room.power),
                List.of(room.carolJoin));
        Pdu zaraJoin = room.dag.state(
                "m.room.member",
                TestDag.ZARA,
                TestDag.ZARA,
                "{membership: 'join'}",
                List.of(room.create, room.power, room.joinRules),
                List.of(room.carolJoin));
        Map<StateTuple, EventId> forkA = with(room, inviteOnly);
        Map<StateTuple, EventId> forkB = with(room, zaraJoin);

        assertResolvesTo(room.dag, List.of(forkA, forkB), with(room, inviteOnly));
    }

    /**
     * Bob, banned in both forks, changed the join rules in one: v2 checks the power events against
     * the unconflicted state, where he is banned, so the change is dropped; v2.1 (room version 12)
     * starts those checks from an empty state and reads his membership from the change's own auth
     * events, so the change stands.
     */
    @ParameterizedTest
    @MethodSource("v2Versions")
    void powerEventsAreCheckedFromTheUnconflictedStateInV2AndFromEmptyInV21(RoomVersion version) {
        Room room = new Room(version);
        Pdu banBob = room.dag.state(
                "m.room.member",
                BOB,
                ALICE,
                "{membership: 'ban'}",
                List.of(room.create, room.aliceJoin, room.power, room.bobJoin),
                List.of(room.carolJoin));
        Pdu inviteRule = room.dag.state(
                "m.room.join_rules",
                "",
                BOB,
                "{join_rule: 'invite'}",
                List.of(room.create, room.power, room.bobJoin),
                List.of(banBob));

        Pdu expectedRule = version.stateResolution() == StateResolutionAlgorithm.V2_1 ? inviteRule : room.joinRules;
        assertResolvesTo(
                room.dag,
                List.of(with(room, banBob, inviteRule), with(room, banBob)),
                with(room, banBob, expectedRule));
    }

    /**
     * Room version 1 only resolves keys the states disagree on: Zara's join, present in one fork
     * only, is kept even though the other fork made the room invite-only.
     */
    @Test
    void version1KeepsAJoinOnlyOneForkHasDespiteTheJoinRulesChange() {
        Room room = new Room(RoomVersions.V1);
        Pdu inviteOnly = room.dag.state(
                "m.room.join_rules",
                "",
                ALICE,
                "{join_rule: 'invite'}",
                List.of(room.create, room.aliceJoin, room.power),
                List.of(room.carolJoin));
        Pdu zaraJoin = room.dag.state(
                "m.room.member",
                TestDag.ZARA,
                TestDag.ZARA,
                "{membership: 'join'}",
                List.of(room.create, room.power, room.joinRules),
                List.of(room.carolJoin));

        assertResolvesTo(
                room.dag, List.of(with(room, inviteOnly), with(room, zaraJoin)), with(room, inviteOnly, zaraJoin));
    }

    private static Map<StateTuple, EventId> with(Room room, Pdu... changes) {
        List<Pdu> events = new ArrayList<>(room.base());
        events.addAll(List.of(changes));
        Map<StateTuple, EventId> state = new LinkedHashMap<>();
        for (Pdu event : events) {
            state.put(new StateTuple(event.type(), event.stateKey().orElseThrow()), event.eventId());
        }
        return state;
    }

    /** Resolves the sets as given, then shuffled (sets and entries) with fixed seeds, expecting the same result each time. */
    private static void assertResolvesTo(
            TestDag dag, List<Map<StateTuple, EventId>> stateSets, Map<StateTuple, EventId> expected) {
        assertThat(StateResolver.resolve(dag.version, stateSets, dag.lookup()))
                .as("in room version %s", dag.version.id())
                .isEqualTo(expected);
        for (int seed = 0; seed < SHUFFLES; seed++) {
            Random random = new Random(seed);
            List<Map<StateTuple, EventId>> shuffled = new ArrayList<>();
            for (Map<StateTuple, EventId> set : stateSets) {
                List<Map.Entry<StateTuple, EventId>> entries = new ArrayList<>(set.entrySet());
                Collections.shuffle(entries, random);
                Map<StateTuple, EventId> copy = new LinkedHashMap<>();
                entries.forEach(e -> copy.put(e.getKey(), e.getValue()));
                shuffled.add(copy);
            }
            Collections.shuffle(shuffled, random);
            assertThat(StateResolver.resolve(dag.version, shuffled, dag.lookup()))
                    .as("in room version %s, shuffle seed %d", dag.version.id(), seed)
                    .isEqualTo(expected);
        }
    }
}
