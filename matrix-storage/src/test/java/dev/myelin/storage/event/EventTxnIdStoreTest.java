package dev.myelin.storage.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.event.EventTxnIdStore.SentWith;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventTxnIdStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final DeviceId PHONE = DeviceId.parse("PHONE");
    private static final DeviceId LAPTOP = DeviceId.parse("LAPTOP");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findsTheSenderOfEachRecordedEventAndSkipsTheOthers(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            EventTxnIdStore store = new EventTxnIdStore(db);
            EventId first = TestEvents.newEventId();
            EventId second = TestEvents.newEventId();
            EventId unrecorded = TestEvents.newEventId();
            store.record(first, ALICE, PHONE, "txn1", 1_000);
            store.record(second, BOB, LAPTOP, "txn1", 1_000);

            assertThat(store.sentWith(List.of(first, second, unrecorded, first)))
                    .isEqualTo(Map.of(
                            first, new SentWith(ALICE, PHONE, "txn1"),
                            second, new SentWith(BOB, LAPTOP, "txn1")));
            assertThat(store.sentWith(List.of())).isEmpty();
            assertThat(store.sentWith(List.of(unrecorded))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSecondRecordOfTheSameEventKeepsTheFirst(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            EventTxnIdStore store = new EventTxnIdStore(db);
            EventId event = TestEvents.newEventId();
            store.record(event, ALICE, PHONE, "first", 1_000);
            store.record(event, ALICE, LAPTOP, "second", 2_000);

            assertThat(store.sentWith(List.of(event))).isEqualTo(Map.of(event, new SentWith(ALICE, PHONE, "first")));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deletesOnlyWhatWasRecordedBeforeTheCutoff(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            EventTxnIdStore store = new EventTxnIdStore(db);
            EventId old = TestEvents.newEventId();
            EventId atCutoff = TestEvents.newEventId();
            EventId recent = TestEvents.newEventId();
            store.record(old, ALICE, PHONE, "a", 999);
            store.record(atCutoff, ALICE, PHONE, "b", 1_000);
            store.record(recent, ALICE, PHONE, "c", 5_000);

            assertThat(store.deleteBefore(1_000)).isEqualTo(1);
            assertThat(store.sentWith(List.of(old, atCutoff, recent)))
                    .isEqualTo(Map.of(
                            atCutoff, new SentWith(ALICE, PHONE, "b"),
                            recent, new SentWith(ALICE, PHONE, "c")));
            assertThat(store.deleteBefore(1_000)).isZero();
            assertThat(store.deleteBefore(Long.MAX_VALUE)).isEqualTo(2);
            assertThat(store.sentWith(List.of(old, atCutoff, recent))).isEmpty();
        }
    }
}
