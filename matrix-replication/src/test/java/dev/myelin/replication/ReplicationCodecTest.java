package dev.myelin.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.replication.ReplicationCommand.Command;
import dev.myelin.replication.ReplicationCommand.Invalidate;
import dev.myelin.replication.ReplicationCommand.Position;
import dev.myelin.replication.ReplicationCommand.Replicate;
import dev.myelin.replication.ReplicationCommand.Row;
import dev.myelin.replication.ReplicationCommand.Typing;
import dev.myelin.replication.ReplicationCommand.UserSync;
import dev.myelin.replication.ReplicationCommand.Wake;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplicationCodecTest {

    private static final String ENVELOPE = "\"i\":\"worker1\",\"n\":\"abc\",\"s\":42,";

    static Stream<ReplicationCommand> everyCommand() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("server", "remote.example");
        body.putArray("list").add(1).add("two").add(true);
        body.putObject("nested").putNull("none");
        return Stream.of(
                new Position(
                        "events",
                        17,
                        List.of(new Row(16, "ROOM_EVENTS", "!r:hs"), new Row(17, "ROOM_EVENTS", "!s:hs"))),
                new Position("events", Long.MAX_VALUE, List.of()),
                new Invalidate("get_user_by_id", List.of("@alice:hs", "@bob:hs")),
                new Invalidate("get_user_by_id", List.of()),
                new Wake(List.of("@alice:hs"), List.of("!r:hs"), Map.of("events", 17L, "typing", 3L)),
                new Wake(List.of(), List.of(), Map.of()),
                new Replicate(),
                new UserSync("@alice:hs", true, 1_700_000_000_000L),
                new UserSync("@alice:hs", false, 0),
                new Typing("!r:hs", List.of("@alice:hs", "@bob:hs"), 9),
                new Typing("!r:hs", List.of(), 10),
                new Command("FEDERATION_ACK", body),
                new Command("EMPTY", JsonNodeFactory.instance.objectNode()));
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void everyCommandSurvivesARoundTrip(ReplicationCommand command) {
        ReplicationMessage message = new ReplicationMessage("worker1", "abc", 42, command);

        String json = ReplicationCodec.encode(message);

        assertThat(json).doesNotContain(" ", "\n");
        assertThat(ReplicationCodec.decode(json)).isEqualTo(message);
    }

    @Test
    void writesTheDocumentedFormat() {
        ReplicationMessage message = new ReplicationMessage(
                "worker1", "abc", 42, new Position("events", 17, List.of(new Row(16, "ROOM_EVENTS", "!r:hs"))));

        assertThat(ReplicationCodec.encode(message))
                .isEqualTo("{\"i\":\"worker1\",\"n\":\"abc\",\"s\":42,\"c\":\"POSITION\",\"stream\":\"events\","
                        + "\"token\":17,\"rows\":[[16,\"ROOM_EVENTS\",\"!r:hs\"]]}");
        assertThat(ReplicationCodec.encode(new ReplicationMessage("w", "n", 1, new Replicate())))
                .isEqualTo("{\"i\":\"w\",\"n\":\"n\",\"s\":1,\"c\":\"REPLICATE\"}");
    }

    @Test
    void ignoresFieldsItDoesNotKnowSoNewerSendersCanAddThem() {
        ReplicationMessage m =
                ReplicationCodec.decode("{" + ENVELOPE + "\"c\":\"REPLICATE\",\"since\":5,\"extra\":{\"a\":[1]}}");

        assertThat(m).isEqualTo(new ReplicationMessage("worker1", "abc", 42, new Replicate()));
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // not JSON
                Arguments.of("", "a replication message must be a JSON object"),
                Arguments.of("{", "not JSON"),
                Arguments.of("hello", "not JSON"),
                Arguments.of("{\"i\":\"w\"} trailing", "not JSON"),
                Arguments.of("{\"i\":\"w\",\"i\":\"x\"}", "not JSON"),
                // not an object
                Arguments.of("[]", "must be a JSON object"),
                Arguments.of("42", "must be a JSON object"),
                Arguments.of("null", "must be a JSON object"),
                Arguments.of("\"POSITION\"", "must be a JSON object"),
                // envelope
                Arguments.of("{\"n\":\"abc\",\"s\":1,\"c\":\"REPLICATE\"}", "missing field \"i\""),
                Arguments.of("{\"i\":\"w\",\"s\":1,\"c\":\"REPLICATE\"}", "missing field \"n\""),
                Arguments.of("{\"i\":\"w\",\"n\":\"abc\",\"c\":\"REPLICATE\"}", "missing field \"s\""),
                Arguments.of("{\"i\":\"w\",\"n\":\"abc\",\"s\":1}", "missing field \"c\""),
                Arguments.of("{\"i\":\"\",\"n\":\"abc\",\"s\":1,\"c\":\"REPLICATE\"}", "instance name is empty"),
                Arguments.of("{\"i\":\"w\",\"n\":\"\",\"s\":1,\"c\":\"REPLICATE\"}", "incarnation is empty"),
                Arguments.of("{\"i\":7,\"n\":\"abc\",\"s\":1,\"c\":\"REPLICATE\"}", "field \"i\" must be a string"),
                Arguments.of("{\"i\":\"w\",\"n\":null,\"s\":1,\"c\":\"REPLICATE\"}", "field \"n\" must be a string"),
                Arguments.of("{\"i\":\"w\",\"n\":\"abc\",\"s\":0,\"c\":\"REPLICATE\"}", "sequence numbers start at 1"),
                Arguments.of("{\"i\":\"w\",\"n\":\"abc\",\"s\":-3,\"c\":\"REPLICATE\"}", "sequence numbers start at 1"),
                Arguments.of(
                        "{\"i\":\"w\",\"n\":\"abc\",\"s\":\"1\",\"c\":\"REPLICATE\"}",
                        "field \"s\" must be an integer"),
                Arguments.of(
                        "{\"i\":\"w\",\"n\":\"abc\",\"s\":1.5,\"c\":\"REPLICATE\"}", "field \"s\" must be an integer"),
                Arguments.of(
                        "{\"i\":\"w\",\"n\":\"abc\",\"s\":1e3,\"c\":\"REPLICATE\"}", "field \"s\" must be an integer"),
                Arguments.of(
                        "{\"i\":\"w\",\"n\":\"abc\",\"s\":99999999999999999999,\"c\":\"REPLICATE\"}",
                        "field \"s\" must be an integer"),
                Arguments.of("{\"i\":\"w\",\"n\":\"abc\",\"s\":1,\"c\":\"SHUTDOWN\"}", "unknown command \"SHUTDOWN\""),
                Arguments.of("{\"i\":\"w\",\"n\":\"abc\",\"s\":1,\"c\":\"position\"}", "unknown command \"position\""),
                Arguments.of(
                        "{\"i\":\"w\",\"n\":\"abc\",\"s\":1,\"c\":[\"POSITION\"]}", "field \"c\" must be a string"),
                // command fields
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"stream\":\"events\",\"rows\":[]}",
                        "missing field \"token\""),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"token\":1,\"rows\":[]}", "missing field \"stream\""),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":1}",
                        "missing field \"rows\""),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":\"1\",\"rows\":[]}",
                        "field \"token\" must be an integer"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":1,\"rows\":{}}",
                        "field \"rows\" must be an array"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":1,\"rows\":[[1,\"K\"]]}",
                        "[position, kind, entity]"),
                Arguments.of(
                        "{" + ENVELOPE
                                + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":1,\"rows\":[[\"1\",\"K\",\"e\"]]}",
                        "[position, kind, entity]"),
                Arguments.of(
                        "{" + ENVELOPE
                                + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":1,\"rows\":[[1,\"K\",null]]}",
                        "[position, kind, entity]"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"POSITION\",\"stream\":\"events\",\"token\":1,\"rows\":[7]}",
                        "[position, kind, entity]"),
                Arguments.of("{" + ENVELOPE + "\"c\":\"INVALIDATE\",\"cache\":\"c\"}", "missing field \"keys\""),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"INVALIDATE\",\"cache\":\"c\",\"keys\":[\"a\",2]}",
                        "field \"keys\" must be an array of strings"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"INVALIDATE\",\"cache\":\"c\",\"keys\":\"a\"}",
                        "field \"keys\" must be an array"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"WAKE\",\"users\":[],\"rooms\":[],\"positions\":{\"events\":\"1\"}}",
                        "field \"positions\" must map stream names to integers"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"WAKE\",\"users\":[],\"rooms\":[],\"positions\":[]}",
                        "field \"positions\" must be an object"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"WAKE\",\"users\":[],\"positions\":{}}", "missing field \"rooms\""),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"USER_SYNC\",\"user\":\"@a:hs\",\"syncing\":\"yes\",\"at\":1}",
                        "field \"syncing\" must be true or false"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"USER_SYNC\",\"user\":\"@a:hs\",\"syncing\":true}",
                        "missing field \"at\""),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"TYPING\",\"room\":\"!r:hs\",\"users\":[null],\"token\":1}",
                        "field \"users\" must be an array of strings"),
                Arguments.of(
                        "{" + ENVELOPE + "\"c\":\"COMMAND\",\"name\":\"X\",\"body\":[]}",
                        "field \"body\" must be an object"),
                Arguments.of("{" + ENVELOPE + "\"c\":\"COMMAND\",\"name\":\"\",\"body\":{}}", "a command needs a name"),
                Arguments.of("{" + ENVELOPE + "\"c\":\"COMMAND\",\"body\":{}}", "missing field \"name\""));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void rejectsBadInputWithAClearMessage(String json, String expected) {
        assertThatThrownBy(() -> ReplicationCodec.decode(json))
                .isExactlyInstanceOf(ReplicationCodecException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void rejectsNullAndDeeplyNestedInput() {
        assertThatThrownBy(() -> ReplicationCodec.decode(null)).isExactlyInstanceOf(ReplicationCodecException.class);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> ReplicationCodec.decode(deep)).isExactlyInstanceOf(ReplicationCodecException.class);
    }
}
