package dev.myelin.storage.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.room.ReportStore.Report;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReportStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);
    private static final RoomId OTHER_ROOM = RoomId.of("other", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keepsEveryReportOfARoomInOrderWithItsOptionalParts(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ReportStore store = new ReportStore(db);
            EventId spam = TestEvents.newEventId();
            assertThat(store.forRoom(ROOM)).isEmpty();

            long first = store.add(1_000, ROOM, spam, ALICE, "spam", -100L);
            long second = store.add(2_000, OTHER_ROOM, null, BOB, null, null);
            long third = store.add(3_000, ROOM, null, BOB, "", 0L);
            long fourth = store.add(4_000, ROOM, spam, ALICE, "spam", -100L);

            assertThat(List.of(first, second, third, fourth))
                    .as("ids count up from 1")
                    .containsExactly(1L, 2L, 3L, 4L);
            assertThat(store.forRoom(ROOM))
                    .isEqualTo(List.of(
                            new Report(
                                    1,
                                    1_000,
                                    ROOM,
                                    Optional.of(spam),
                                    ALICE,
                                    Optional.of("spam"),
                                    OptionalLong.of(-100)),
                            new Report(3, 3_000, ROOM, Optional.empty(), BOB, Optional.of(""), OptionalLong.of(0)),
                            new Report(
                                    4,
                                    4_000,
                                    ROOM,
                                    Optional.of(spam),
                                    ALICE,
                                    Optional.of("spam"),
                                    OptionalLong.of(-100))));
            assertThat(store.forRoom(OTHER_ROOM))
                    .isEqualTo(List.of(new Report(
                            2, 2_000, OTHER_ROOM, Optional.empty(), BOB, Optional.empty(), OptionalLong.empty())));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keepsLongReasonsAndExtremeScores(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ReportStore store = new ReportStore(db);
            String reason = "ü".repeat(5_000);
            store.add(Long.MAX_VALUE, ROOM, null, ALICE, reason, Long.MIN_VALUE);

            assertThat(store.forRoom(ROOM))
                    .isEqualTo(List.of(new Report(
                            1,
                            Long.MAX_VALUE,
                            ROOM,
                            Optional.empty(),
                            ALICE,
                            Optional.of(reason),
                            OptionalLong.of(Long.MIN_VALUE))));
        }
    }
}
