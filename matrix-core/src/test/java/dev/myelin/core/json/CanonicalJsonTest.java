package dev.myelin.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.room.RoomVersions;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The canonical JSON examples of the spec's appendix, and the rules behind them. */
class CanonicalJsonTest {

    static Stream<Arguments> specExamples() {
        return Stream.of(
                Arguments.of("{}", "{}"),
                Arguments.of("""
                        {
                            "one": 1,
                            "two": "Two"
                        }""", "{\"one\":1,\"two\":\"Two\"}"),
                Arguments.of("""
                        {
                            "b": "2",
                            "a": "1"
                        }""", "{\"a\":\"1\",\"b\":\"2\"}"),
                Arguments.of("{\"b\":\"2\",\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}"),
                Arguments.of(
                        """
                        {
                            "auth": {
                                "success": true,
                                "mxid": "@john.doe:example.com",
                                "profile": {
                                    "display_name": "John Doe",
                                    "three_pids": [
                                        {
                                            "medium": "email",
                                            "address": "john.doe@example.org"
                                        },
                                        {
                                            "medium": "msisdn",
                                            "address": "123456789"
                                        }
                                    ]
                                }
                            }
                        }""",
                        "{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\","
                                + "\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},"
                                + "{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}"),
                Arguments.of("""
                        {
                            "a": "日本語"
                        }""", "{\"a\":\"日本語\"}"),
                Arguments.of("""
                        {
                            "本": 2,
                            "日": 1
                        }""", "{\"日\":1,\"本\":2}"),
                Arguments.of("{\n    \"a\": \"\\u65E5\"\n}", "{\"a\":\"日\"}"),
                Arguments.of("""
                        {
                            "a": null
                        }""", "{\"a\":null}"),
                Arguments.of("""
                        {
                            "a": -0,
                            "b": 1e10
                        }""", "{\"a\":0,\"b\":10000000000}"));
    }

    @ParameterizedTest
    @MethodSource("specExamples")
    void reproducesEverySpecExampleByteForByte(String input, String expected) {
        byte[] encoded = CanonicalJson.encode(CanonicalJson.parse(input));

        assertThat(encoded).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(CanonicalJson.encodeToString(CanonicalJson.parse(input))).isEqualTo(expected);
    }

    @Test
    void escapesOnlyQuoteBackslashAndControlCharacters() {
        ObjectNode node = JsonNodeFactory.instance
                .objectNode()
                .put("s", "\"\\/\b\t\n\f\r\u0000\u0001\u000b\u001f\u007f é\u2028😀");

        assertThat(CanonicalJson.encodeToString(node))
                .isEqualTo("{\"s\":\"\\\"\\\\/\\b\\t\\n\\f\\r\\u0000\\u0001\\u000b\\u001f\u007f é\u2028😀\"}");
    }

    @Test
    void writesNonAsciiAsRawUtf8() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("a", "日😀");

        assertThat(CanonicalJson.encode(node)).isEqualTo(new byte[] {
            '{',
            '"',
            'a',
            '"',
            ':',
            '"',
            (byte) 0xE6,
            (byte) 0x97,
            (byte) 0xA5,
            (byte) 0xF0,
            (byte) 0x9F,
            (byte) 0x98,
            (byte) 0x80,
            '"',
            '}'
        });
    }

    @Test
    void sortsKeysByCodePointNotByUtf16Unit() {
        // U+FB01 sorts before U+1F600 by code point, but after its UTF-16 surrogate 0xD83D.
        ObjectNode node =
                JsonNodeFactory.instance.objectNode().put("😀", 1).put("ﬁ", 2).put("a", 3);

        assertThat(CanonicalJson.encodeToString(node)).isEqualTo("{\"a\":3,\"ﬁ\":2,\"😀\":1}");
    }

    @Test
    void sortsPrefixesFirst() {
        ObjectNode node =
                JsonNodeFactory.instance.objectNode().put("ab", 1).put("a", 2).put("", 3);

        assertThat(CanonicalJson.encodeToString(node)).isEqualTo("{\"\":3,\"a\":2,\"ab\":1}");
    }

    @Test
    void checkValueNamesTheFirstValueCanonicalJsonCannotCarryAsWritten() {
        assertThatThrownBy(() -> CanonicalJson.checkValue(CanonicalJson.parse("{\"a\":[1,{\"b\":1.5}]}"), "content"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("'content.a[1].b' is not an integer");
        assertThatThrownBy(() -> CanonicalJson.checkValue(CanonicalJson.parse("{\"a\":2.0}"), "content"))
                .hasMessageStartingWith("'content.a' is not an integer");
        assertThatThrownBy(() -> CanonicalJson.checkValue(CanonicalJson.parse("{\"a\":9007199254740992}"), "content"))
                .hasMessageStartingWith("'content.a' is out of the range");
        assertThatThrownBy(() -> CanonicalJson.checkValue(CanonicalJson.parse("{\"a\":\"\\ud800\"}"), "content"))
                .hasMessage("'content.a' has a lone UTF-16 surrogate");
        ObjectNode loneKey = JsonNodeFactory.instance.objectNode();
        loneKey.putObject("a").put("\udc00", 1);
        assertThatThrownBy(() -> CanonicalJson.checkValue(loneKey, "content"))
                .hasMessage("'content.a' has a key with a lone UTF-16 surrogate");

        CanonicalJson.checkValue(
                CanonicalJson.parse("{\"max\":9007199254740991,\"min\":-9007199254740991,\"e\":\"\ud83d\ude00\"}"),
                "content");
    }

    @Test
    void hugeExponentIsOutOfRangeWithoutExpandingIt() {
        JsonNode node = JsonNodeFactory.instance.objectNode().set("n", CanonicalJson.parse("1e99999999"));

        assertThatThrownBy(() -> CanonicalJson.encode(node)).hasMessageContaining("out of range");
    }

    @Test
    void acceptsTheLimitsOfTheIntegerRange() {
        JsonNode node = CanonicalJson.parseStrict("[9007199254740991,-9007199254740991]");

        assertThat(CanonicalJson.encodeToString(node)).isEqualTo("[9007199254740991,-9007199254740991]");
    }

    @Test
    void rejectsTwoToTheFiftyThreeNamingThePath() {
        JsonNode node = CanonicalJson.parse("{\"content\":{\"n\":9007199254740992}}");

        assertThatThrownBy(() -> CanonicalJson.encode(node))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("content.n")
                .hasMessageContaining("9007199254740992");
    }

    @Test
    void rejectsMinusTwoToTheFiftyThree() {
        JsonNode node = CanonicalJson.parse("{\"a\":[1,-9007199254740992]}");

        assertThatThrownBy(() -> CanonicalJson.encode(node))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("a[1]");
    }

    @Test
    void rejectsFloatsNamingThePath() {
        JsonNode node = CanonicalJson.parse("{\"content\":{\"body\":{\"x\":1.5}}}");

        assertThatThrownBy(() -> CanonicalJson.encode(node))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("float")
                .hasMessageContaining("content.body.x");
    }

    @Test
    void rejectsFloatNodesBuiltInCode() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("content").put("ratio", 0.25d);

        assertThatThrownBy(() -> CanonicalJson.encode(node))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("content.ratio");
    }

    @Test
    void rejectsLoneSurrogates() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("a", "x\uD800");

        assertThatThrownBy(() -> CanonicalJson.encode(node))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void strictParseRejectsDuplicateKeys() {
        assertThatThrownBy(() -> CanonicalJson.parseStrict("{\"a\":1,\"a\":2}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("a");
    }

    @Test
    void lenientParseKeepsTheLastDuplicateKey() {
        assertThat(CanonicalJson.encodeToString(CanonicalJson.parse("{\"a\":1,\"a\":2}")))
                .isEqualTo("{\"a\":2}");
    }

    @Test
    void strictParseRejectsFloatsEvenWhenIntegral() {
        assertThatThrownBy(() -> CanonicalJson.parseStrict("{\"a\":{\"b\":1.0}}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("a.b");
        assertThatThrownBy(() -> CanonicalJson.parseStrict("{\"a\":1e10}")).isInstanceOf(CanonicalJsonException.class);
    }

    @Test
    void strictParseRejectsOutOfRangeIntegers() {
        assertThatThrownBy(() -> CanonicalJson.parseStrict("{\"depth\":9007199254740992}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("depth");
        assertThatThrownBy(() -> CanonicalJson.parseStrict("[123456789012345678901234567890]"))
                .isInstanceOf(CanonicalJsonException.class);
    }

    @Test
    void parseForRoomVersionIsStrictOnlyFromVersionSix() {
        byte[] duplicate = "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);

        assertThat(CanonicalJson.parse(duplicate, RoomVersions.V5).get("a").intValue())
                .isEqualTo(2);
        assertThatThrownBy(() -> CanonicalJson.parse(duplicate, RoomVersions.V6))
                .isInstanceOf(CanonicalJsonException.class);
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("invalid JSON");
        assertThatThrownBy(() -> CanonicalJson.parse("")).isInstanceOf(CanonicalJsonException.class);
    }
}
