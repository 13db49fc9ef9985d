package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.CAROL;
import static dev.myelin.core.state.TestDag.ZARA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Room version 1's resolution of conflicts that are neither power levels, join rules nor
 * memberships: the deepest event allowed in the state resolved so far, ties broken by the lowest
 * {@code sha1(event_id)}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v1/#state-resolution">State resolution (v1)</a>
 */
class StateResolutionV1Test {
    private static final StateTuple TOPIC = new StateTuple("m.room.topic", "");

    private final TestDag dag = new TestDag(RoomVersions.V1);
    private final Pdu create = dag.create();
    private final Pdu aliceJoin =
            dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
    private final Pdu power = dag.state(
            "m.room.power_levels",
            "",
            ALICE,
            "{users: {'@alice:a.test': 100}, events: {'m.room.topic': 0}}",
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

    private Map<StateTuple, EventId> with(Pdu topic) {
        return TestDag.stateSet(create, aliceJoin, power, joinRules, carolJoin, topic);
    }

    private static String sha1Hex(EventId id) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(id.value().getBytes(StandardCharsets.UTF_8)));
    }

    /** proves: of two allowed topics at the same depth, the one with the lower sha1(event_id) in hex wins. */
    @Test
    void equalDepthsGoToTheLowerHashInHexOrder() throws NoSuchAlgorithmException {
        Pdu first = null;
        Pdu second = null;
        // find two sibling topics whose hashes differ in the sign of their first byte, where signed
        // and unsigned byte order disagree
        for (int i = 0; i < 64 && second == null; i++) {
            Pdu topic = dag.state(
                    "m.room.topic",
                    "",
                    ALICE,
                    "{topic: 't" + i + "'}",
                    List.of(create, power, aliceJoin),
                    List.of(carolJoin));
            String hex = sha1Hex(topic.eventId());
            if (first == null) {
                first = topic;
            } else if ((Integer.parseInt(hex.substring(0, 2), 16) >= 0x80)
                    != (Integer.parseInt(sha1Hex(first.eventId()).substring(0, 2), 16) >= 0x80)) {
                second = topic;
            }
        }
        assertThat(second).isNotNull();
        Pdu lower = sha1Hex(first.eventId()).compareTo(sha1Hex(second.eventId())) < 0 ? first : second;

        Map<StateTuple, EventId> resolved =
                StateResolver.resolve(RoomVersions.V1, List.of(with(first), with(second)), dag.lookup());

        assertThat(resolved.get(TOPIC)).isEqualTo(lower.eventId());
    }

    /** proves: the deeper of two allowed topics wins, whatever its hash. */
    @Test
    void theDeeperAllowedEventWins() {
        Pdu shallow = dag.state(
                "m.room.topic", "", ALICE, "{topic: 'shallow'}", List.of(create, power, aliceJoin), List.of(carolJoin));
        Pdu deep = dag.state(
                "m.room.topic", "", CAROL, "{topic: 'deep'}", List.of(create, power, carolJoin), List.of(shallow));

        Map<StateTuple, EventId> resolved =
                StateResolver.resolve(RoomVersions.V1, List.of(with(shallow), with(deep)), dag.lookup());

        assertThat(resolved.get(TOPIC)).isEqualTo(deep.eventId());
    }

    /** proves: when no conflicting topic is allowed, the least deep one is kept rather than none. */
    @Test
    void whenNoneIsAllowedTheLeastDeepIsKept() {
        // Zara never joined: neither of her topics passes the rules in the resolved state
        Pdu shallow =
                dag.state("m.room.topic", "", ZARA, "{topic: 'shallow'}", List.of(create, power), List.of(carolJoin));
        Pdu deep = dag.state("m.room.topic", "", ZARA, "{topic: 'deep'}", List.of(create, power), List.of(shallow));

        Map<StateTuple, EventId> resolved =
                StateResolver.resolve(RoomVersions.V1, List.of(with(shallow), with(deep)), dag.lookup());

        assertThat(resolved.get(TOPIC)).isEqualTo(shallow.eventId());
    }
}
