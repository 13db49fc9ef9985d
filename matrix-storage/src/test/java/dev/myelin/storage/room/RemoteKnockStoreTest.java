package dev.myelin.storage.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RemoteKnockStoreTest {
    private static final UserId BOB = UserId.parse("@bob:here.test");
    private static final UserId CAROL = UserId.parse("@carol:here.test");
    private static final RoomId ROOM = RoomId.parse("!lunch:remote.test");
    private static final RoomId OTHER_ROOM = RoomId.parse("!dinner:remote.test");

    private static RemoteKnock knock(UserId user, RoomId room, String eventId, long stream) {
        ArrayNode state = JsonNodeFactory.instance.arrayNode();
        state.addObject()
                .put("type", "m.room.name")
                .put("state_key", "")
                .putObject("content")
                .put("name", "Lunch");
        return new RemoteKnock(
                user,
                room,
                new EventId(eventId),
                stream,
                "10",
                ServerName.parse("remote.test"),
                state,
                Optional.empty(),
                OptionalLong.empty());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void knocksAreKeptPerUserAndRoomWithTheirStateAndRescinding(Kind kind) {
        DatabaseConfig config = TestDatabases.freshConfig(kind);
        try (Database db = Database.open(config)) {
            RemoteKnockStore store = new RemoteKnockStore(db);
            store.record(knock(BOB, ROOM, "$a", 3));
            store.record(knock(BOB, OTHER_ROOM, "$b", 5));
            store.record(knock(CAROL, ROOM, "$c", 4));

            assertThat(store.get(BOB, ROOM)).contains(knock(BOB, ROOM, "$a", 3));
            assertThat(store.all(BOB)).extracting(RemoteKnock::room).containsExactly(ROOM, OTHER_ROOM);
            assertThat(store.changedBetween(BOB, 3, 5))
                    .extracting(RemoteKnock::room)
                    .containsExactly(OTHER_ROOM);

            store.markRescinded(BOB, ROOM, new EventId("$leave"), 7);
            RemoteKnock rescinded = store.get(BOB, ROOM).orElseThrow();
            assertThat(rescinded.pending()).isFalse();
            assertThat(rescinded.leaveEventId()).contains(new EventId("$leave"));
            assertThat(store.changedBetween(BOB, 5, 7))
                    .extracting(RemoteKnock::room)
                    .containsExactly(ROOM);
            assertThat(store.get(CAROL, ROOM).orElseThrow().pending()).isTrue();

            // a new knock replaces the rescinded one and is pending again
            store.record(knock(BOB, ROOM, "$d", 9));
            assertThat(store.get(BOB, ROOM)).contains(knock(BOB, ROOM, "$d", 9));
            assertThat(store.get(UserId.parse("@dave:here.test"), ROOM)).isEmpty();
        } finally {
            TestDatabases.discard(config);
        }
    }
}
