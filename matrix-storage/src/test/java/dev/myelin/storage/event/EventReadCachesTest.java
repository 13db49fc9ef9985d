package dev.myelin.storage.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The read caches over events and the streams (the change caches that let a read skip what did not
 * change, the event cache, the latest stretch of a room): a change made by another writer is seen by
 * the next read, also while reads and writes run at the same time.
 */
class EventReadCachesTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);
    private static final RoomId OTHER = RoomId.of("other", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReaderFollowingTheStreamWhileThreeWritersPersistSeesEveryEventExactlyOnce(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu join = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            Pdu otherCreate = TestEvents.create(OTHER, ALICE);
            s.persister().persistAll(List.of(create, join, otherCreate));
            // where the reader starts: taken before any writer runs, or their first events fall before it
            long start = s.events().currentPosition();
            int perWriter = 60;
            Set<EventId> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(3);
            for (int w = 0; w < 3; w++) {
                int writer = w;
                Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < perWriter; i++) {
                            // the other room moves too: its changes must not hide this room's
                            RoomId room = i % 5 == 0 ? OTHER : ROOM;
                            EventId prev = room.equals(ROOM) ? join.eventId() : otherCreate.eventId();
                            Pdu msg = TestEvents.message(room, ALICE, "m" + writer + "-" + i, List.of(prev), 3);
                            s.persister().persist(msg);
                            if (room.equals(ROOM)) {
                                sent.add(msg.eventId());
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            List<EventId> seen = new ArrayList<>();
            long position = start;
            while (true) {
                boolean finished = done.getCount() == 0;
                long now = s.events().currentPosition();
                for (StoredEvent e : s.events().roomEventsByStream(ROOM, position, now, 10_000)) {
                    seen.add(e.eventId());
                }
                position = now;
                if (finished && position == s.events().currentPosition()) {
                    break;
                }
            }
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(sent);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRedactionIsSeenByTheNextReadOfTheEventAndOfTheRoomsLatestEvents(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu msg = TestEvents.message(ROOM, ALICE, "oops", List.of(create.eventId()), 2);
            s.persister().persistAll(List.of(create, msg));
            long before = s.events().currentPosition();
            // both caches hold the message now
            assertThat(s.events().get(msg.eventId()).orElseThrow().redactedBy()).isEmpty();
            assertThat(s.events().roomEventsByStream(ROOM, 0, before, 10)).hasSize(2);

            Pdu redaction = TestEvents.event(ROOM, ALICE, "m.room.redaction")
                    .redacts(msg.eventId())
                    .prev(List.of(msg.eventId()))
                    .depth(3)
                    .build();
            s.persister().persist(redaction);

            assertThat(s.events().get(msg.eventId()).orElseThrow().redactedBy()).contains(redaction.eventId());
            assertThat(s.events()
                            .getAll(List.of(msg.eventId()))
                            .get(msg.eventId())
                            .redactedBy())
                    .contains(redaction.eventId());
            List<StoredEvent> upToBefore = s.events().roomEventsByStream(ROOM, 0, before, 10);
            assertThat(upToBefore.getLast().redactedBy()).contains(redaction.eventId());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readersRacingARedactionNeverKeepTheUnredactedEvent(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            s.persister().persist(create);
            EventId prev = create.eventId();
            for (int round = 0; round < 20; round++) {
                Pdu msg = TestEvents.message(ROOM, ALICE, "r" + round, List.of(prev), 2 + 2 * round);
                s.persister().persist(msg);
                AtomicBoolean stop = new AtomicBoolean();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    readers.add(Thread.ofVirtual().start(() -> {
                        try {
                            while (!stop.get()) {
                                s.events().get(msg.eventId());
                                s.events().roomEventsByStream(ROOM, 0, Long.MAX_VALUE, 5);
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }));
                }
                Pdu redaction = TestEvents.event(ROOM, ALICE, "m.room.redaction")
                        .redacts(msg.eventId())
                        .prev(List.of(msg.eventId()))
                        .depth(3 + 2 * round)
                        .build();
                s.persister().persist(redaction);
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
                assertThat(failures).isEmpty();
                assertThat(s.events().get(msg.eventId()).orElseThrow().redactedBy())
                        .as("round %d", round)
                        .contains(redaction.eventId());
                assertThat(s.events()
                                .roomEventsByStream(ROOM, 0, Long.MAX_VALUE, 2)
                                .getFirst()
                                .redactedBy())
                        .as("round %d, the room's latest events", round)
                        .contains(redaction.eventId());
                prev = redaction.eventId();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void accountDataReceiptsAndToDeviceMessagesWrittenElsewhereAreSeenFromAnEarlierPosition(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            AccountDataStore accountData = new AccountDataStore(db, s.streams());
            ReceiptStore receipts = new ReceiptStore(db, s.streams());
            ToDeviceStore toDevice = new ToDeviceStore(db, s.streams());
            long accountFrom = accountData.currentPosition();
            long receiptsFrom = receipts.currentPosition();
            long toDeviceFrom = toDevice.currentPosition();
            assertThat(accountData.changesSince(ALICE, accountFrom)).isEmpty();
            assertThat(receipts.changesSince(List.of(ROOM), receiptsFrom)).isEmpty();

            accountData.putGlobal(
                    ALICE, "m.example", JsonNodeFactory.instance.objectNode().put("a", 1));
            receipts.put(ROOM, "m.read", BOB, null, TestEvents.newEventId(), JsonNodeFactory.instance.objectNode());
            DeviceId phone = new DeviceId("PHONE");
            toDevice.send(Map.of(
                    ALICE, Map.of(phone, JsonNodeFactory.instance.objectNode().put("type", "m.x"))));

            assertThat(accountData.changesSince(ALICE, accountFrom)).hasSize(1);
            assertThat(accountData.changesSince(BOB, accountFrom)).isEmpty();
            assertThat(accountData.mayHaveChanged(ALICE, accountFrom)).isTrue();
            assertThat(accountData.mayHaveChanged(ALICE, accountData.currentPosition()))
                    .isFalse();
            assertThat(receipts.changesSince(List.of(ROOM, OTHER), receiptsFrom))
                    .hasSize(1);
            assertThat(receipts.changesSince(List.of(OTHER), receiptsFrom)).isEmpty();
            assertThat(toDevice.pending(ALICE, phone, toDeviceFrom, 10)).hasSize(1);
            assertThat(toDevice.pending(BOB, phone, toDeviceFrom, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theRoomsOfAUserFollowMembershipChangesMadeThroughAnotherStore(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores reader = Stores.over(db);
            Stores writer = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu aliceJoin = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            writer.persister().persistAll(List.of(create, aliceJoin));
            assertThat(reader.state().roomsForUser(BOB, dev.myelin.core.event.content.Membership.JOIN))
                    .isEmpty();
            EventId prev = aliceJoin.eventId();
            for (int i = 0; i < 10; i++) {
                String membership = i % 2 == 0 ? "join" : "leave";
                Pdu change = TestEvents.member(ROOM, BOB, membership, List.of(prev), 3 + i);
                // readers racing the change must not keep what they read before it
                List<Thread> racing = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    racing.add(Thread.ofPlatform().start(() -> {
                        for (int k = 0; k < 20; k++) {
                            reader.state().roomsForUser(BOB, dev.myelin.core.event.content.Membership.JOIN);
                        }
                    }));
                }
                writer.persister().persist(change);
                for (Thread t : racing) {
                    t.join();
                }
                assertThat(reader.state().roomsForUser(BOB, dev.myelin.core.event.content.Membership.JOIN))
                        .as("after %s", membership)
                        .isEqualTo(membership.equals("join") ? List.of(ROOM) : List.of());
                assertThat(reader.state().roomsForUser(BOB, dev.myelin.core.event.content.Membership.LEAVE))
                        .isEqualTo(membership.equals("leave") ? List.of(ROOM) : List.of());
                assertThat(reader.state().joinedMemberCount(ROOM)).isEqualTo(membership.equals("join") ? 2 : 1);
                prev = change.eventId();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNewProcessOverTheSameDatabaseKnowsNothingBeforeItStartedAndReadsIt(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores first = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            first.persister().persist(create);
            long afterCreate = first.events().currentPosition();
            Pdu msg = TestEvents.message(ROOM, ALICE, "hello", List.of(create.eventId()), 2);
            first.persister().persist(msg);
            // a restarted server: its change caches start at the stored positions
            Stores restarted = Stores.over(db);
            assertThat(restarted.events().roomEventsByStream(ROOM, afterCreate, Long.MAX_VALUE, 10))
                    .extracting(StoredEvent::eventId)
                    .containsExactly(msg.eventId());
            assertThat(restarted.events().membershipMayHaveChanged(ROOM, 0)).isTrue();
        }
    }
}
