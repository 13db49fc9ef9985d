package dev.myelin.core.push;

import static dev.myelin.core.push.PushEvaluatorTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.myelin.core.id.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each condition kind on its own, with the spec's examples. */
class PushConditionTest {
    private static final UserId ALICE = UserId.parse("@alice:example.org");

    private static boolean holds(PushCondition condition, ObjectNode event) {
        return holds(condition, event, new PushContext(ALICE, Optional.of("Alice Liddell"), 4, 0, Map.of()));
    }

    private static boolean holds(PushCondition condition, ObjectNode event, PushContext context) {
        PushRule rule =
                new PushRule("r", false, true, List.of(condition), List.of(PushAction.NOTIFY), Optional.empty());
        return PushEvaluator.evaluate(event, context, Ruleset.EMPTY.with(PushRuleKind.OVERRIDE, List.of(rule)))
                .notifies();
    }

    private static ObjectNode topic(String topicJson) {
        return event("{\"type\":\"m.room.topic\",\"state_key\":\"\",\"content\":{\"topic\":" + topicJson + "}}");
    }

    private static ObjectNode body(String body) {
        return event("{\"type\":\"m.room.message\",\"content\":{\"body\":\"" + body + "\"}}");
    }

    @Test
    void eventMatchMatchesTheWholeValueCaseInsensitively() {
        PushCondition lunch = new PushCondition.EventMatch("content.topic", "lunc?*");
        assertThat(holds(lunch, topic("\"Lunch plans\""))).isTrue();
        assertThat(holds(lunch, topic("\"LUNCH\""))).isTrue();
        assertThat(holds(lunch, topic("\" lunch\""))).isFalse();
        assertThat(holds(lunch, topic("\"lunc\""))).isFalse();
        assertThat(holds(lunch, topic("null"))).isFalse();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "*"), topic("42")))
                .isFalse();
        assertThat(holds(new PushCondition.EventMatch("content.absent", "*"), topic("\"x\"")))
                .isFalse();
    }

    @Test
    void globsTreatRegexCharactersLiterallyAndSpanLines() {
        assertThat(holds(new PushCondition.EventMatch("content.topic", "a.c"), topic("\"abc\"")))
                .isFalse();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "a.c"), topic("\"A.C\"")))
                .isTrue();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "(x)[y]+"), topic("\"(x)[y]+\"")))
                .isTrue();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "a*z"), topic("\"a\\nmiddle\\nz\"")))
                .isTrue();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "??"), topic("\"ab\"")))
                .isTrue();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "??"), topic("\"abc\"")))
                .isFalse();
        assertThat(holds(new PushCondition.EventMatch("content.topic", ""), topic("\"\"")))
                .isTrue();
        assertThat(holds(new PushCondition.EventMatch("content.topic", "\\E*"), topic("\"\\\\Ex\"")))
                .isTrue();
    }

    @Test
    void eventMatchOnTheBodyMatchesWholeWords() {
        PushCondition example = new PushCondition.EventMatch("content.body", "ex*ple");
        assertThat(holds(example, body("An example event."))).isTrue();
        assertThat(holds(example, body("exple"))).isTrue();
        assertThat(holds(example, body("An exciting triple-whammy"))).isTrue();
        assertThat(holds(example, body("examples"))).isFalse();
        assertThat(holds(example, body("reexample"))).isFalse();
        PushCondition cake = new PushCondition.EventMatch("content.body", "cake");
        assertThat(holds(cake, body("CAKE_time"))).isFalse();
        assertThat(holds(cake, body("(cake)"))).isTrue();
        assertThat(holds(cake, body("cake"))).isTrue();
    }

    @Test
    void dottedKeysHonourEscapes() {
        assertThat(PropertyPath.parse("content.m\\.relates_to.rel_type").segments())
                .containsExactly("content", "m.relates_to", "rel_type");
        assertThat(PropertyPath.parse("content.m\\\\foo").segments()).containsExactly("content", "m\\foo");
        assertThat(PropertyPath.parse("content.m\\xfoo").segments()).containsExactly("content", "m\\xfoo");
        assertThat(PropertyPath.parse("a..b").segments()).containsExactly("a", "", "b");
        ObjectNode event = event("{\"type\":\"t\",\"content\":{\"m.relates_to\":{\"rel_type\":\"m.thread\"},"
                + "\"m\":{\"relates_to\":{\"rel_type\":\"wrong\"}}}}");
        assertThat(holds(new PushCondition.EventMatch("content.m\\.relates_to.rel_type", "m.thread"), event))
                .isTrue();
        assertThat(holds(new PushCondition.EventMatch("content.m.relates_to.rel_type", "wrong"), event))
                .isTrue();
    }

    @Test
    void eventPropertyIsComparesScalarsWithoutCasting() {
        ObjectNode create = event("{\"type\":\"m.room.create\",\"state_key\":\"\",\"content\":{\"m.federate\":true,"
                + "\"n\":1,\"s\":\"true\",\"z\":null,\"f\":1.0,\"o\":{}}}");
        assertThat(holds(new PushCondition.EventPropertyIs("content.m\\.federate", BooleanNode.TRUE), create))
                .isTrue();
        assertThat(holds(new PushCondition.EventPropertyIs("content.s", BooleanNode.TRUE), create))
                .isFalse();
        assertThat(holds(new PushCondition.EventPropertyIs("content.n", BooleanNode.TRUE), create))
                .isFalse();
        assertThat(holds(new PushCondition.EventPropertyIs("content.n", IntNode.valueOf(1)), create))
                .isTrue();
        assertThat(holds(new PushCondition.EventPropertyIs("content.f", IntNode.valueOf(1)), create))
                .isFalse();
        assertThat(holds(new PushCondition.EventPropertyIs("content.z", NullNode.instance), create))
                .isTrue();
        assertThat(holds(new PushCondition.EventPropertyIs("content.missing", NullNode.instance), create))
                .isFalse();
        assertThat(holds(new PushCondition.EventPropertyIs("content.s", TextNode.valueOf("TRUE")), create))
                .isFalse();
    }

    @Test
    void eventPropertyContainsNeedsAnExactElement() {
        ObjectNode aliases = event("{\"type\":\"m.room.canonical_alias\",\"state_key\":\"\",\"content\":{"
                + "\"alt_aliases\":[\"#somewhere:example.org\",\"#myroom:example.com\",{\"x\":1},7]}}");
        assertThat(holds(
                        new PushCondition.EventPropertyContains(
                                "content.alt_aliases", TextNode.valueOf("#myroom:example.com")),
                        aliases))
                .isTrue();
        assertThat(holds(
                        new PushCondition.EventPropertyContains(
                                "content.alt_aliases", TextNode.valueOf(":example.com")),
                        aliases))
                .isFalse();
        assertThat(holds(new PushCondition.EventPropertyContains("content.alt_aliases", IntNode.valueOf(7)), aliases))
                .isTrue();
        assertThat(holds(new PushCondition.EventPropertyContains("content", IntNode.valueOf(7)), aliases))
                .isFalse();
    }

    @Test
    void containsDisplayNameLooksForWholeWords() {
        PushCondition name = new PushCondition.ContainsDisplayName();
        assertThat(holds(name, body("hello alice liddell!"))).isTrue();
        assertThat(holds(name, body("hello Alice Liddellish"))).isFalse();
        assertThat(holds(name, body("hello Alice"))).isFalse();
        PushContext nameless = new PushContext(ALICE, Optional.empty(), 4, 0, Map.of());
        assertThat(holds(name, body("hello alice liddell"), nameless)).isFalse();
    }

    @Test
    void roomMemberCountComparesWithEachPrefix() {
        ObjectNode event = body("x");
        assertThat(holds(cond("4"), event)).isTrue();
        assertThat(holds(cond("==4"), event)).isTrue();
        assertThat(holds(cond("==5"), event)).isFalse();
        assertThat(holds(cond("<5"), event)).isTrue();
        assertThat(holds(cond("<4"), event)).isFalse();
        assertThat(holds(cond(">3"), event)).isTrue();
        assertThat(holds(cond(">4"), event)).isFalse();
        assertThat(holds(cond("<=4"), event)).isTrue();
        assertThat(holds(cond(">=4"), event)).isTrue();
        assertThat(holds(cond(">=5"), event)).isFalse();
        assertThat(PushCondition.RoomMemberCount.parse("=4")).isEmpty();
        assertThat(PushCondition.RoomMemberCount.parse("four")).isEmpty();
        assertThat(PushCondition.RoomMemberCount.parse("")).isEmpty();
        assertThat(PushCondition.fromJson(event("{\"kind\":\"room_member_count\",\"is\":\"~2\"}")))
                .isInstanceOf(PushCondition.Unknown.class);
    }

    private static PushCondition cond(String is) {
        return PushCondition.RoomMemberCount.parse(is).orElseThrow();
    }

    @Test
    void senderNotificationPermissionReadsTheNotificationsLevels() {
        PushCondition room = new PushCondition.SenderNotificationPermission("room");
        ObjectNode event = body("x");
        assertThat(holds(room, event, new PushContext(ALICE, Optional.empty(), 4, 50, Map.of())))
                .isTrue();
        assertThat(holds(room, event, new PushContext(ALICE, Optional.empty(), 4, 49, Map.of())))
                .isFalse();
        assertThat(holds(room, event, new PushContext(ALICE, Optional.empty(), 4, 10, Map.of("room", 10L))))
                .isTrue();
    }

    @Test
    void unknownConditionsNeverMatchButSurviveARoundTrip() {
        ObjectNode json = event("{\"kind\":\"org.example.magic\",\"x\":1}");
        PushCondition condition = PushCondition.fromJson(json);
        assertThat(condition).isInstanceOf(PushCondition.Unknown.class);
        assertThat(condition.toJson()).isEqualTo(json);
        assertThat(holds(condition, body("x"))).isFalse();
        // a known kind with unusable parameters is unknown too when read from storage...
        assertThat(PushCondition.fromJson(event("{\"kind\":\"event_match\",\"key\":\"type\"}")))
                .isInstanceOf(PushCondition.Unknown.class);
        // ...and refused when a client sends it
        assertThatThrownBy(() -> PushCondition.parseStrict(event("{\"kind\":\"event_match\",\"key\":\"type\"}")))
                .isInstanceOf(InvalidPushRuleException.class)
                .hasMessageContaining("pattern");
        assertThatThrownBy(() -> PushCondition.parseStrict(
                        event("{\"kind\":\"event_property_is\",\"key\":\"type\",\"value\":[1]}")))
                .isInstanceOf(InvalidPushRuleException.class);
        assertThatThrownBy(() -> PushCondition.parseStrict(
                        event("{\"kind\":\"event_property_is\",\"key\":\"type\",\"value\":9007199254740992}")))
                .isInstanceOf(InvalidPushRuleException.class);
    }
}
