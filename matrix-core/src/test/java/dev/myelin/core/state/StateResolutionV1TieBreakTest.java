package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.stateSet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.room.RoomVersions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Room version 1 breaks ties between conflicting events of equal depth by {@code sha1(event_id)}.
 * The digest is a number, compared as its hex form compares: byte by byte, unsigned. The test
 * graph's ids {@code $e6:a.test} (sha1 6b2e396c…) and {@code $e7:a.test} (sha1 82bd6ad0…) tell
 * an unsigned comparison (0x6b &lt; 0x82) from a signed one (0x82 is negative, so it would sort
 * first).
 */
class StateResolutionV1TieBreakTest {
    private final TestDag dag = new TestDag(RoomVersions.V1);
    private final Pdu create = dag.create();
    private final Pdu aliceJoin =
            dag.state("m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of(create), List.of(create));
    private final Pdu power = dag.state(
            "m.room.power_levels",
            "",
            ALICE,
            "{users: {'@alice:a.test': 100}}",
            List.of(create, aliceJoin),
            List.of(aliceJoin));
    private final Pdu joinRules = dag.state(
            "m.room.join_rules", "", ALICE, "{join_rule: 'public'}", List.of(create, aliceJoin, power), List.of(power));
    private final Pdu name =
            dag.state("m.room.name", "", ALICE, "{name: 'n'}", List.of(create, aliceJoin, power), List.of(joinRules));

    @Test
    void theTestIdsHaveDigestsWhoseSignedAndUnsignedOrdersDisagree() {
        assertThat(sha1Hex("$e6:a.test")).startsWith("6b");
        assertThat(sha1Hex("$e7:a.test")).startsWith("82");
    }

    /**
     * "for all other conflicts, just pick the event with the highest depth and lowest
     * sha1(event_id) that passes authentication in R" (rooms/v1.md, State resolution): of two
     * topics at the same depth, both allowed, the one whose digest is lower (6b… &lt; 82…) wins.
     */
    @Test
    void otherConflictsPickTheLowestDigestComparedUnsigned() {
        Pdu topic6 = topic("six");
        Pdu topic7 = topic("seven");
        assertThat(topic6.eventId().value()).isEqualTo("$e6:a.test");
        assertThat(topic7.eventId().value()).isEqualTo("$e7:a.test");

        var resolved = StateResolver.resolve(
                RoomVersions.V1,
                List.of(
                        stateSet(create, aliceJoin, power, joinRules, name, topic6),
                        stateSet(create, aliceJoin, power, joinRules, name, topic7)),
                dag.lookup());

        assertThat(resolved.get(new StateTuple("m.room.topic", ""))).isEqualTo(topic6.eventId());
    }

    /**
     * "Sort the list by ascending depth then descending sha1(event_id). Add the first event in the
     * list to R. For each subsequent event ... if the event would be allowed ... update R" (rooms/v1.md):
     * of two power levels events at the same depth, both allowed, the higher digest (82…) comes
     * first and the lower (6b…) is applied last.
     */
    @Test
    void authConflictsReplayInDescendingDigestComparedUnsigned() {
        Pdu levels6 = levels("{users: {'@alice:a.test': 100}, invite: 10}");
        Pdu levels7 = levels("{users: {'@alice:a.test': 100}, invite: 20}");
        assertThat(levels6.eventId().value()).isEqualTo("$e6:a.test");
        assertThat(levels7.eventId().value()).isEqualTo("$e7:a.test");

        var resolved = StateResolver.resolve(
                RoomVersions.V1,
                List.of(
                        stateSet(create, aliceJoin, levels6, joinRules, name),
                        stateSet(create, aliceJoin, levels7, joinRules, name)),
                dag.lookup());

        assertThat(resolved.get(StateTuple.POWER_LEVELS)).isEqualTo(levels6.eventId());
    }

    private Pdu topic(String text) {
        return dag.state(
                "m.room.topic", "", ALICE, "{topic: '" + text + "'}", List.of(create, aliceJoin, power), List.of(name));
    }

    private Pdu levels(String content) {
        return dag.state("m.room.power_levels", "", ALICE, content, List.of(create, aliceJoin, power), List.of(name));
    }

    private static String sha1Hex(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
