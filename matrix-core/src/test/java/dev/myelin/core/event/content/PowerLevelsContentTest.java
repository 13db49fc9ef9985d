package dev.myelin.core.event.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PowerLevelsContentTest {
    private static final JsonMapper MAPPER = new JsonMapper();

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Nested
    class StringyLevels {
        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "100|100",
                    "000100|100",
                    "+100|100",
                    "-100|-100",
                    "' 100 '|100",
                    "' 00100 '|100",
                    "' +100 '|100",
                    "' -100 '|-100"
                })
        void readsTheSpecsStringForms(String text, long expected) {
            assertThat(PowerLevelsContent.level(TextNode.valueOf(text), RoomVersions.V9))
                    .hasValue(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "+", "1.5", "1e3", "--1", "+-1", "0x10", "ten", "99999999999999999999"})
        void rejectsStringsThatAreNotIntegers(String text) {
            assertThat(PowerLevelsContent.level(TextNode.valueOf(text), RoomVersions.V9))
                    .isEmpty();
        }

        @Test
        void rejectsStringsFromV10() {
            assertThat(PowerLevelsContent.level(TextNode.valueOf("50"), RoomVersions.V10))
                    .isEmpty();
        }
    }

    @Nested
    class FloatyLevels {
        @Test
        void truncatesFloatsBeforeV6() {
            assertThat(PowerLevelsContent.level(json("{\"x\": 50.57}").get("x"), RoomVersions.V5))
                    .hasValue(50);
            assertThat(PowerLevelsContent.level(json("{\"x\": 5.114698E4}").get("x"), RoomVersions.V1))
                    .hasValue(51146);
        }

        @Test
        void rejectsFloatsFromV6() {
            assertThat(PowerLevelsContent.level(json("{\"x\": 50.5}").get("x"), RoomVersions.V6))
                    .isEmpty();
        }

        @Test
        void reportsFloatsOutsideTheDoubleRangeAsInvalid() {
            assertThat(PowerLevelsContent.validationError(json("{\"ban\": 1e999}"), RoomVersions.V3))
                    .isPresent();
        }
    }

    @Test
    void appliesSpecDefaultsForAbsentKeys() {
        PowerLevelsContent content = PowerLevelsContent.from(json("{}"), RoomVersions.V10);
        assertThat(content.ban()).isEqualTo(50);
        assertThat(content.kick()).isEqualTo(50);
        assertThat(content.redact()).isEqualTo(50);
        assertThat(content.invite()).isZero();
        assertThat(content.stateDefault()).isEqualTo(50);
        assertThat(content.eventsDefault()).isZero();
        assertThat(content.usersDefault()).isZero();
        assertThat(content.notificationLevel("room")).hasValue(50);
    }

    @Test
    void keepsOnlyPresentKeysInTheMaps() {
        PowerLevelsContent content = PowerLevelsContent.from(
                json("{\"ban\": 10, \"users\": {\"@a:x.test\": 7,"
                        + " \"not a user\": 3}, \"events\": {\"m.room.name\": 20}}"),
                RoomVersions.V10);
        assertThat(content.levels()).containsOnlyKeys("ban");
        assertThat(content.users()).containsExactlyEntriesOf(java.util.Map.of(UserId.parse("@a:x.test"), 7L));
        assertThat(content.eventLevel("m.room.name", true)).isEqualTo(20);
        assertThat(content.eventLevel("m.room.topic", true)).isEqualTo(50);
        assertThat(content.eventLevel("m.room.message", false)).isZero();
    }

    @Test
    void readsStringyValuesLenientlyBeforeV10AndDropsThemFromV10() {
        String text = "{\"ban\": \"20\", \"users\": {\"@a:x.test\": \" 30 \"}}";
        assertThat(PowerLevelsContent.from(json(text), RoomVersions.V9).ban()).isEqualTo(20);
        assertThat(PowerLevelsContent.from(json(text), RoomVersions.V10).ban()).isEqualTo(50);
        assertThat(PowerLevelsContent.validationError(json(text), RoomVersions.V9))
                .isEmpty();
        assertThat(PowerLevelsContent.validationError(json(text), RoomVersions.V10))
                .hasValue("'ban' is not an integer");
    }

    @Test
    void allowsAbsentUsers() {
        assertThat(PowerLevelsContent.validationError(json("{}"), RoomVersions.V12))
                .isEmpty();
    }
}
