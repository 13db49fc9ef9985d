package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.BOB;
import static dev.myelin.core.state.TestDag.stateSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.room.StateResolutionAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State resolution over graphs no honest server builds: auth events that form a cycle (possible
 * where event ids are not hashes, and from a malicious server's claims anywhere), and auth or
 * state events the lookup cannot find. Resolution must end, must not throw, must give the same
 * answer for every order of its input, and must not let an event use auth events it cannot show.
 */
class StateResolutionRobustnessTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    static Stream<RoomVersion> versions() {
        return Stream.of(
                RoomVersions.V1,
                RoomVersions.V2,
                RoomVersions.V6,
                RoomVersions.V10,
                RoomVersions.V11,
                RoomVersions.V12);
    }

    /** Alice's room with Bob a moderator, forked by concurrent power levels changes of both. */
    private static final class Fork {
        final TestDag dag;
        final Pdu create;
        final Pdu aliceJoin;
        Pdu power;
        final Pdu joinRules;
        final Pdu bobJoin;
        Pdu alicePl;
        Pdu bobPl;

        Fork(RoomVersion version) {
            dag = new TestDag(version);
            create = dag.create();
            aliceJoin =
                    dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
            power = dag.state(
                    "m.room.power_levels",
                    "",
                    ALICE,
                    levels(version, 50, ""),
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
            alicePl = dag.state(
                    "m.room.power_levels",
                    "",
                    ALICE,
                    levels(version, 0, ""),
                    List.of(create, aliceJoin, power),
                    List.of(bobJoin));
            bobPl = dag.state(
                    "m.room.power_levels",
                    "",
                    BOB,
                    levels(version, 50, ", invite: 50"),
                    List.of(create, power, bobJoin),
                    List.of(bobJoin));
        }

        List<Map<StateTuple, EventId>> stateSets() {
            return List.of(
                    stateSet(create, aliceJoin, alicePl, joinRules, bobJoin),
                    stateSet(create, aliceJoin, bobPl, joinRules, bobJoin));
        }

        /** Power levels content giving Bob {@code bob}, naming Alice where the room version allows it. */
        private static String levels(RoomVersion version, int bob, String more) {
            String alice = version.auth().creatorsHaveInfinitePower() ? "" : "'@alice:a.test': 100, ";
            return "{users: {" + alice + "'@bob:b.test': " + bob + "}" + more + "}";
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void authEventsCitingEachOtherInACycleEndWithOneAnswer(RoomVersion version) {
        Fork fork = new Fork(version);
        // Each conflicted power levels event cites the other, and the power levels event both cite
        // cites Alice's, so the auth chains and the mainline both loop.
        fork.alicePl = fork.dag.rewire(fork.alicePl, ids(fork.create, fork.aliceJoin, fork.power, fork.bobPl));
        fork.bobPl = fork.dag.rewire(fork.bobPl, ids(fork.create, fork.power, fork.bobJoin, fork.alicePl));
        fork.power = fork.dag.rewire(fork.power, ids(fork.create, fork.aliceJoin, fork.alicePl));
        EventLookup lookup = fork.dag.lookup();

        assertThat(assertTimeoutPreemptively(LIMIT, () -> AuthChain.of(fork.alicePl, lookup)))
                .contains(fork.bobPl.eventId(), fork.alicePl.eventId(), fork.power.eventId());
        assertResolvesTheSameInEveryOrder(version, fork.stateSets(), lookup);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void anEventCitingItselfEndsWithOneAnswer(RoomVersion version) {
        Fork fork = new Fork(version);
        fork.bobPl = fork.dag.rewire(fork.bobPl, ids(fork.create, fork.power, fork.bobJoin, fork.bobPl));
        assertResolvesTheSameInEveryOrder(version, fork.stateSets(), fork.dag.lookup());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aPowerLevelsChangeWhoseSendersMembershipCannotBeFoundIsRejected(RoomVersion version) {
        Fork fork = new Fork(version);
        // Bob's change cites his join, which the lookup cannot find: nothing shows he is joined.
        Set<EventId> hidden = Set.of(fork.bobJoin.eventId());
        EventLookup all = fork.dag.lookup();
        EventLookup lookup = id -> hidden.contains(id) ? Optional.empty() : all.find(id);
        List<Map<StateTuple, EventId>> sets = List.of(
                stateSet(fork.create, fork.aliceJoin, fork.power, fork.joinRules),
                stateSet(fork.create, fork.aliceJoin, fork.bobPl, fork.joinRules, fork.bobJoin));

        Map<StateTuple, EventId> resolved = assertResolvesTheSameInEveryOrder(version, sets, lookup);

        assertThat(resolved.get(StateTuple.POWER_LEVELS)).isEqualTo(fork.power.eventId());
        if (version.stateResolution() != StateResolutionAlgorithm.V1) {
            // v1 keeps a key only one state holds without checking it; v2 drops the conflicted
            // event it cannot find.
            assertThat(resolved).doesNotContainKey(new StateTuple("m.room.member", BOB));
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void eventsTheLookupCannotFindNeverThrowAndConflictedOnesNeverWin(RoomVersion version) {
        for (long seed = 0; seed < 40; seed++) {
            RandomRoom room = RandomRoom.generate(version, seed);
            Random random = new Random(seed);
            Set<EventId> hidden = new HashSet<>();
            for (Pdu event : room.dag.events()) {
                if (!event.type().equals("m.room.create") && random.nextInt(5) == 0) {
                    hidden.add(event.eventId());
                }
            }
            EventLookup all = room.dag.lookup();
            EventLookup lookup = id -> hidden.contains(id) ? Optional.empty() : all.find(id);
            List<Map<StateTuple, EventId>> sets = room.stateSets();

            Map<StateTuple, EventId> resolved = assertResolvesTheSameInEveryOrder(version, sets, lookup);

            for (Map.Entry<StateTuple, EventId> entry : resolved.entrySet()) {
                if (hidden.contains(entry.getValue())) {
                    assertThat(isConflicted(version, entry.getKey(), sets))
                            .as("seed %d: the hidden %s won a conflict", seed, entry)
                            .isFalse();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void malformedPowerLevelsContentNeverThrows(RoomVersion version) {
        List<String> contents = List.of(
                "{users: 'everyone'}",
                "{users: {'not a user': 100, '@bob:b.test': 'fifty'}}",
                "{users: {'@bob:b.test': '75'}, ban: '0', kick: '-5'}",
                "{ban: 'abc', kick: {}, invite: [], events: [1], notifications: 'x'}",
                "{users: {'@bob:b.test': 99999999999999999999}}",
                "{events_default: null, state_default: true, users_default: -9007199254740991}");
        for (String content : contents) {
            Fork fork = new Fork(version);
            Pdu forged = fork.dag.state(
                    "m.room.power_levels",
                    "",
                    BOB,
                    content,
                    List.of(fork.create, fork.power, fork.bobJoin),
                    List.of(fork.bobJoin));
            // A topic whose power levels are the forged ones, so the sender power and the mainline
            // position read them too.
            Pdu topic = fork.dag.state(
                    "m.room.topic",
                    "",
                    BOB,
                    "{topic: 't'}",
                    List.of(fork.create, forged, fork.bobJoin),
                    List.of(forged));
            List<Map<StateTuple, EventId>> sets = List.of(
                    stateSet(fork.create, fork.aliceJoin, fork.alicePl, fork.joinRules, fork.bobJoin),
                    stateSet(fork.create, fork.aliceJoin, forged, fork.joinRules, fork.bobJoin, topic));

            Map<StateTuple, EventId> resolved = assertResolvesTheSameInEveryOrder(version, sets, fork.dag.lookup());

            assertThat(resolved.get(StateTuple.CREATE)).as(content).isEqualTo(fork.create.eventId());
        }
    }

    /** Whether {@code key} is conflicted: by the v2 definition, or in v1 when the states hold different events for it. */
    private static boolean isConflicted(RoomVersion version, StateTuple key, List<Map<StateTuple, EventId>> sets) {
        Set<EventId> values = new HashSet<>();
        boolean inEvery = true;
        for (Map<StateTuple, EventId> set : sets) {
            EventId id = set.get(key);
            if (id == null) {
                inEvery = false;
            } else {
                values.add(id);
            }
        }
        return version.stateResolution() == StateResolutionAlgorithm.V1
                ? values.size() > 1
                : !inEvery || values.size() > 1;
    }

    private static Map<StateTuple, EventId> assertResolvesTheSameInEveryOrder(
            RoomVersion version, List<Map<StateTuple, EventId>> sets, EventLookup lookup) {
        Map<StateTuple, EventId> resolved =
                assertTimeoutPreemptively(LIMIT, () -> StateResolver.resolve(version, sets, lookup));
        for (int seed = 0; seed < 5; seed++) {
            Random random = new Random(seed);
            List<Map<StateTuple, EventId>> shuffled = new ArrayList<>();
            for (Map<StateTuple, EventId> set : sets) {
                List<Map.Entry<StateTuple, EventId>> entries = new ArrayList<>(set.entrySet());
                Collections.shuffle(entries, random);
                Map<StateTuple, EventId> copy = new LinkedHashMap<>();
                entries.forEach(e -> copy.put(e.getKey(), e.getValue()));
                shuffled.add(copy);
            }
            Collections.shuffle(shuffled, random);
            assertThat(assertTimeoutPreemptively(LIMIT, () -> StateResolver.resolve(version, shuffled, lookup)))
                    .as("shuffle %d", seed)
                    .isEqualTo(resolved);
        }
        return resolved;
    }

    private static List<EventId> ids(Pdu... events) {
        return Stream.of(events).map(Pdu::eventId).toList();
    }
}
