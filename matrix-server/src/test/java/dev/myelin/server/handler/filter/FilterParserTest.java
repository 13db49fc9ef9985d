package dev.myelin.server.handler.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one filter parser: the spec's filtering rules, the same for /sync, stored filters, /messages and /context. */
class FilterParserTest {
    private static final RoomId ROOM = RoomId.parse("!a:test.local");
    private static final RoomId OTHER = RoomId.parse("!b:test.local");

    @Test
    void typesMatchWithWildcardsAndNotTypesWin() {
        RoomEventFilter filter = FilterParser.roomEventFilterParam(
                "{\"types\":[\"m.room.*\",\"org.*.x\"],\"not_types\":[\"m.room.member\"]}");
        assertThat(filter.allows("m.room.message", "@a:test.local", false)).isTrue();
        assertThat(filter.allows("org.example.x", "@a:test.local", false)).isTrue();
        assertThat(filter.allows("org.example.y", "@a:test.local", false)).isFalse();
        assertThat(filter.allows("m.room.member", "@a:test.local", false)).isFalse();
        assertThat(filter.allows("m.reaction", "@a:test.local", false)).isFalse();
    }

    @Test
    void sendersRoomsAndContainsUrlNarrowTheEvents() {
        RoomEventFilter filter = FilterParser.roomEventFilterParam("{\"senders\":[\"@a:test.local\",\"@b:test.local\"],"
                + "\"not_senders\":[\"@b:test.local\"],\"rooms\":[\"!a:test.local\"],\"contains_url\":true}");
        assertThat(filter.allows("m.room.message", "@a:test.local", true)).isTrue();
        assertThat(filter.allows("m.room.message", "@a:test.local", false))
                .as("no url")
                .isFalse();
        assertThat(filter.allows("m.room.message", "@b:test.local", true))
                .as("not_senders wins")
                .isFalse();
        assertThat(filter.allows("m.room.message", "@c:test.local", true)).isFalse();
        assertThat(filter.allowsRoom(ROOM)).isTrue();
        assertThat(filter.allowsRoom(OTHER)).isFalse();
    }

    @Test
    void anAbsentOrBlankParameterAllowsEverything() {
        assertThat(FilterParser.roomEventFilterParam(null)).isEqualTo(RoomEventFilter.ALL);
        assertThat(FilterParser.roomEventFilterParam(" ")).isEqualTo(RoomEventFilter.ALL);
        assertThat(FilterParser.roomEventFilterParam("{}")).isEqualTo(RoomEventFilter.ALL);
    }

    @Test
    void theSyncFilterReadsEverySectionWithTheSameRules() {
        SyncFilter filter = FilterParser.parseJson(
                "{\"room\":{\"not_rooms\":[\"!b:test.local\"],\"include_leave\":true,"
                        + "\"timeline\":{\"limit\":500,\"lazy_load_members\":true,\"unread_thread_notifications\":true},"
                        + "\"state\":{\"lazy_load_members\":true,\"include_redundant_members\":true}},"
                        + "\"presence\":{\"types\":[]},\"event_fields\":[\"content.body\"],\"event_format\":\"federation\"}");
        assertThat(filter.room().allowsRoom(ROOM)).isTrue();
        assertThat(filter.room().allowsRoom(OTHER)).isFalse();
        assertThat(filter.room().includeLeave()).isTrue();
        assertThat(filter.room().timeline().events().limit()).as("capped").isEqualTo(FilterParser.MAX_LIMIT);
        assertThat(filter.room().timeline().unreadThreadNotifications()).isTrue();
        assertThat(filter.room().timeline().lazyLoadMembers()).isTrue();
        assertThat(filter.room().state().includeRedundantMembers()).isTrue();
        assertThat(filter.room().ephemeral()).isEqualTo(RoomEventFilter.ALL);
        assertThat(filter.presence().allowsType("m.presence"))
                .as("an empty types list allows nothing")
                .isFalse();
        assertThat(filter.accountData()).isEqualTo(EventFilter.ALL);
        assertThat(filter.eventFields()).isEqualTo(List.of("content.body"));
        assertThat(filter.federationFormat()).isTrue();
    }

    @Test
    void badSyncFiltersAreBadJsonNamingTheField() {
        assertError(() -> FilterParser.parseJson("{not json"), ErrorCode.NOT_JSON, "");
        assertError(() -> FilterParser.parseJson("[1]"), ErrorCode.BAD_JSON, "");
        assertError(
                () -> FilterParser.parseJson("{\"room\":{\"timeline\":{\"limit\":-1}}}"),
                ErrorCode.BAD_JSON,
                "'room.timeline.limit'");
        assertError(
                () -> FilterParser.parseJson("{\"room\":{\"state\":{\"unread_thread_notifications\":1}}}"),
                ErrorCode.BAD_JSON,
                "'room.state.unread_thread_notifications'");
        assertError(
                () -> FilterParser.parseJson("{\"room\":{\"ephemeral\":{\"not_senders\":[\"bob\"]}}}"),
                ErrorCode.BAD_JSON,
                "'room.ephemeral.not_senders'");
        assertError(
                () -> FilterParser.parseJson("{\"account_data\":{\"types\":\"m.direct\"}}"),
                ErrorCode.BAD_JSON,
                "'account_data.types'");
    }

    @Test
    void badRoomEventFilterParametersAreInvalidParam() {
        for (String bad : List.of(
                "{not json",
                "[1]",
                "{\"types\":\"m.room.message\"}",
                "{\"limit\":-1}",
                "{\"limit\":\"ten\"}",
                "{\"senders\":[\"bob\"]}",
                "{\"rooms\":[\"nope\"]}",
                "{\"contains_url\":\"yes\"}",
                "{\"lazy_load_members\":1}",
                "{\"unread_thread_notifications\":\"no\"}")) {
            assertError(() -> FilterParser.roomEventFilterParam(bad), ErrorCode.INVALID_PARAM, "filter");
        }
    }

    private static void assertError(Runnable parse, ErrorCode errcode, String messagePart) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(MatrixException.class, e -> {
            assertThat(e.errcode()).isEqualTo(errcode);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
