package dev.myelin.storage.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.event.ClientTransactionStore;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventPage;
import dev.myelin.storage.event.EventTxnIdStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventPersisterTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEventOfAClientTransactionThatAlreadyProducedOneIsNotStoredAndTheFirstIsReturned(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu join = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            s.persister().persist(create);
            s.persister().persist(join);
            ClientTransaction txn = ClientTransaction.of(
                    "@alice:example.org/PHONE",
                    "send/" + ROOM + "/m.room.message",
                    "t1",
                    ALICE,
                    Optional.of(new dev.myelin.core.id.DeviceId("PHONE")),
                    1_000);
            Pdu first = TestEvents.event(ROOM, ALICE, "m.room.message")
                    .content("body", "first")
                    .prev(List.of(join.eventId()))
                    .auth(List.of(create.eventId(), join.eventId()))
                    .depth(3)
                    .build();
            Pdu retry = TestEvents.event(ROOM, ALICE, "m.room.message")
                    .content("body", "retry")
                    .prev(List.of(join.eventId()))
                    .auth(List.of(create.eventId(), join.eventId()))
                    .depth(3)
                    .build();

            PersistedEvent stored =
                    s.persister().persist(first, EventContext.normal().withClientTransaction(txn));
            PersistedEvent again =
                    s.persister().persist(retry, EventContext.normal().withClientTransaction(txn));

            assertThat(stored.alreadyKnown()).isFalse();
            assertThat(again.eventId()).isEqualTo(first.eventId());
            assertThat(again.alreadyKnown()).isTrue();
            assertThat(s.events().get(retry.eventId()))
                    .as("the retry's event is not stored")
                    .isEmpty();
            ClientTransactionStore transactions = new ClientTransactionStore(db);
            assertThat(transactions.find(txn.key(), 2_000))
                    .contains(first.eventId().value());
            assertThat(transactions.find(txn.key(), 1_000 + ClientTransactionStore.LIFETIME.toMillis() + 1))
                    .as("forgotten after its lifetime")
                    .isEmpty();
            assertThat(new EventTxnIdStore(db).sentWith(List.of(first.eventId())))
                    .as("recorded with the event for unsigned.transaction_id")
                    .containsEntry(
                            first.eventId(),
                            new EventTxnIdStore.SentWith(ALICE, new dev.myelin.core.id.DeviceId("PHONE"), "t1"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void persistsEventsWithEdgesExtremitiesAndState(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu join = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            Pdu msg = TestEvents.event(ROOM, ALICE, "m.room.message")
                    .content("body", "hi")
                    .prev(List.of(join.eventId()))
                    .auth(List.of(create.eventId(), join.eventId()))
                    .depth(3)
                    .build();
            PersistedEvent p1 = s.persister().persist(create);
            PersistedEvent p2 = s.persister().persist(join);
            PersistedEvent p3 = s.persister().persist(msg);

            assertThat(p3.streamOrdering()).isGreaterThan(p2.streamOrdering());
            assertThat(p2.streamOrdering()).isGreaterThan(p1.streamOrdering());
            assertThat(p3.stateGroup())
                    .as("a message shares its predecessor's state group")
                    .isEqualTo(p2.stateGroup());
            StoredEvent stored = s.events().get(msg.eventId()).orElseThrow();
            assertThat(stored.pdu().json().toString()).isEqualTo(msg.json().toString());
            assertThat(stored.topologicalOrdering()).isEqualTo(3);
            assertThat(stored.outlier()).isFalse();
            assertThat(s.events().prevEvents(msg.eventId())).containsExactly(join.eventId());
            assertThat(s.events().authEvents(msg.eventId()))
                    .containsExactlyInAnyOrder(create.eventId(), join.eventId());
            assertThat(s.events().forwardExtremities(ROOM)).containsExactly(msg.eventId());

            Map<StateKey, EventId> expected = Map.of(
                    StateKey.of("m.room.create", ""), create.eventId(),
                    StateKey.member(ALICE.toString()), join.eventId());
            assertThat(s.state().stateAt(msg.eventId())).contains(expected);
            assertThat(s.state().stateAt(create.eventId()))
                    .contains(Map.of(StateKey.of("m.room.create", ""), create.eventId()));
            assertThat(s.state().currentState(ROOM)).isEqualTo(expected);
            assertThat(s.state().joinedMembers(ROOM)).containsExactly(ALICE);
            assertThat(s.state().joinedMemberCount(ROOM)).isEqualTo(1);
            assertThat(s.state().roomsForUser(ALICE, Membership.JOIN)).containsExactly(ROOM);

            assertThat(s.persister().persist(msg).alreadyKnown())
                    .as("persisting twice is a no-op")
                    .isTrue();
            assertThat(s.events().eventsAfter(0, 100))
                    .extracting(StoredEvent::eventId)
                    .containsExactly(create.eventId(), join.eventId(), msg.eventId());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void membershipChangesUpdateCountsAndRoomLists(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu aliceJoin = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            Pdu bobInvite = TestEvents.event(ROOM, ALICE, "m.room.member")
                    .stateKey(BOB.toString())
                    .content("membership", "invite")
                    .prev(List.of(aliceJoin.eventId()))
                    .depth(3)
                    .build();
            s.persister().persistAll(List.of(create, aliceJoin, bobInvite));
            assertThat(s.state().roomsForUser(BOB, Membership.INVITE)).containsExactly(ROOM);
            assertThat(s.state().joinedMemberCount(ROOM)).isEqualTo(1);

            Pdu bobJoin = TestEvents.member(ROOM, BOB, "join", List.of(bobInvite.eventId()), 4);
            s.persister().persist(bobJoin);
            assertThat(s.state().roomsForUser(BOB, Membership.INVITE)).isEmpty();
            assertThat(s.state().roomsForUser(BOB, Membership.JOIN)).containsExactly(ROOM);
            assertThat(s.state().joinedMembers(ROOM)).containsExactly(ALICE, BOB);
            assertThat(s.state().joinedMemberCount(ROOM)).isEqualTo(2);

            Pdu bobLeave = TestEvents.member(ROOM, BOB, "leave", List.of(bobJoin.eventId()), 5);
            s.persister().persist(bobLeave);
            assertThat(s.state().joinedMemberCount(ROOM)).isEqualTo(1);
            assertThat(s.state().roomsForUser(BOB, Membership.LEAVE)).containsExactly(ROOM);
            assertThat(s.state().stateAt(bobJoin.eventId()).orElseThrow().get(StateKey.member(BOB.toString())))
                    .as("historical state is unaffected")
                    .isEqualTo(bobJoin.eventId());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void stateGroupsAreDeltasWithBoundedChains(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            s.persister().persist(create);
            EventId prev = create.eventId();
            List<UserId> users = new ArrayList<>();
            int members = 60;
            for (int i = 0; i < members; i++) {
                UserId u = UserId.of("u" + i, SERVER);
                users.add(u);
                Pdu join = TestEvents.member(ROOM, u, "join", List.of(prev), i + 2);
                s.persister().persist(join);
                Pdu msg = TestEvents.message(ROOM, u, "hello", List.of(join.eventId()), i + 3);
                s.persister().persist(msg);
                prev = msg.eventId();
            }
            Map<StateKey, EventId> state = s.state().stateAt(prev).orElseThrow();
            assertThat(state).hasSize(members + 1);
            assertThat(s.state().joinedMemberCount(ROOM)).isEqualTo(members);
            // a full copy per state event would be sum(1..61) = 1891 rows; deltas with a snapshot every
            // 21 groups stay far below that
            long rows = s.state().entryCount(ROOM);
            assertThat(rows).isLessThan(300);

            // a fresh store (empty cache) reads the same state back through the chains
            Stores cold = Stores.over(db);
            assertThat(cold.state().stateAt(prev)).contains(state);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void forksNeedResolvedStateAndThenUseIt(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu join = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            Pdu topicA = TestEvents.event(ROOM, ALICE, "m.room.topic")
                    .stateKey("")
                    .content("topic", "A")
                    .prev(List.of(join.eventId()))
                    .depth(3)
                    .build();
            Pdu topicB = TestEvents.event(ROOM, ALICE, "m.room.topic")
                    .stateKey("")
                    .content("topic", "B")
                    .prev(List.of(join.eventId()))
                    .depth(3)
                    .build();
            s.persister().persistAll(List.of(create, join, topicA, topicB));
            assertThat(s.events().forwardExtremities(ROOM))
                    .containsExactlyInAnyOrder(topicA.eventId(), topicB.eventId());

            Pdu merge = TestEvents.message(ROOM, ALICE, "merge", List.of(topicA.eventId(), topicB.eventId()), 4);
            assertThatThrownBy(() -> s.persister().persist(merge))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("different state");
            assertThat(s.events().exists(merge.eventId()))
                    .as("nothing half-written")
                    .isFalse();

            Map<StateKey, EventId> resolved = Map.of(
                    StateKey.of("m.room.create", ""),
                    create.eventId(),
                    StateKey.member(ALICE.toString()),
                    join.eventId(),
                    StateKey.of("m.room.topic", ""),
                    topicA.eventId());
            s.persister().persist(merge, EventContext.withStateBefore(resolved));
            assertThat(s.state().stateAt(merge.eventId())).contains(resolved);
            assertThat(s.state().currentState(ROOM)).isEqualTo(resolved);
            assertThat(s.events().forwardExtremities(ROOM)).containsExactly(merge.eventId());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void outliersAndRejectedEventsStayOutOfTheTimelineAndState(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu join = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            s.persister().persistAll(List.of(create, join));
            Pdu outlier = TestEvents.member(RoomId.of("other", SERVER), BOB, "join", List.of(), 9);
            s.persister().persist(outlier, EventContext.outlierEvent());
            Pdu evil = TestEvents.event(ROOM, BOB, "m.room.topic")
                    .stateKey("")
                    .content("topic", "spam")
                    .prev(List.of(join.eventId()))
                    .depth(3)
                    .build();
            assertThat(s.state().currentState(ROOM))
                    .as("held in memory before the rejected event")
                    .hasSize(2);
            s.persister().persist(evil, EventContext.rejected("not in room"));

            assertThat(s.events().get(outlier.eventId()).orElseThrow().outlier())
                    .isTrue();
            assertThat(s.events().get(evil.eventId()).orElseThrow().rejectionReason())
                    .contains("not in room");
            assertThat(s.events().eventsAfter(0, 10))
                    .extracting(StoredEvent::eventId)
                    .containsExactly(create.eventId(), join.eventId());
            assertThat(s.state().currentState(ROOM)).doesNotContainKey(StateKey.of("m.room.topic", ""));
            assertThat(s.events().forwardExtremities(ROOM)).containsExactly(join.eventId());
            assertThat(s.state().stateAt(outlier.eventId())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void groupCommitKeepsEachEventAtomicAndFailsOnlyTheBadOne(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            int threads = 8;
            int perThread = 25;
            List<RoomId> rooms = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RoomId room = RoomId.of("g" + t, SERVER);
                rooms.add(room);
                s.persister().persist(TestEvents.create(room, ALICE));
            }
            Pdu orphan = TestEvents.message(rooms.getFirst(), ALICE, "no parent", List.of(TestEvents.newEventId()), 9);
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (RoomId room : rooms) {
                    futures.add(pool.submit(() -> {
                        EventId prev =
                                s.events().forwardExtremities(room).iterator().next();
                        for (int i = 0; i < perThread; i++) {
                            Pdu m = TestEvents.message(room, ALICE, "m" + i, List.of(prev), i + 2);
                            s.persister().persist(m);
                            prev = m.eventId();
                        }
                        return null;
                    }));
                }
                var bad = pool.submit(() -> s.persister().persist(orphan));
                assertThatThrownBy(bad::get)
                        .hasCauseInstanceOf(StorageException.class)
                        .hasMessageContaining("unknown");
                for (var f : futures) {
                    f.get();
                }
            }
            assertThat(s.events().eventsAfter(0, 10_000)).hasSize(threads * (perThread + 1));
            assertThat(s.events().exists(orphan.eventId())).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void redactionsMarkTheirTarget(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu msg = TestEvents.message(ROOM, ALICE, "oops", List.of(create.eventId()), 2);
            Pdu redaction = TestEvents.event(ROOM, ALICE, "m.room.redaction")
                    .redacts(msg.eventId())
                    .prev(List.of(msg.eventId()))
                    .depth(3)
                    .build();
            s.persister().persistAll(List.of(create, msg, redaction));
            assertThat(s.events().get(msg.eventId()).orElseThrow().redactedBy()).contains(redaction.eventId());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void paginatesRoomsBothWays(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            List<Pdu> all = new ArrayList<>(List.of(create));
            EventId prev = create.eventId();
            for (int i = 0; i < 10; i++) {
                Pdu m = TestEvents.message(ROOM, ALICE, "m" + i, List.of(prev), i + 2);
                all.add(m);
                prev = m.eventId();
            }
            s.persister().persistAll(all);
            List<EventId> ids = all.stream().map(Pdu::eventId).toList();

            EventPage back1 =
                    s.events().roomEventsBetween(ROOM, RoomPosition.END, RoomPosition.START, 4, Direction.BACKWARDS);
            assertThat(back1.events())
                    .extracting(StoredEvent::eventId)
                    .containsExactly(ids.get(10), ids.get(9), ids.get(8), ids.get(7));
            EventPage back2 =
                    s.events().roomEventsBetween(ROOM, back1.next(), RoomPosition.START, 4, Direction.BACKWARDS);
            assertThat(back2.events())
                    .extracting(StoredEvent::eventId)
                    .containsExactly(ids.get(6), ids.get(5), ids.get(4), ids.get(3));

            EventPage fwd = s.events().roomEventsBetween(ROOM, back2.next(), RoomPosition.END, 3, Direction.FORWARDS);
            assertThat(fwd.events())
                    .extracting(StoredEvent::eventId)
                    .containsExactly(ids.get(3), ids.get(4), ids.get(5));
            EventPage bounded =
                    s.events().roomEventsBetween(ROOM, RoomPosition.START, fwd.next(), 100, Direction.FORWARDS);
            assertThat(bounded.events()).hasSize(6);
            assertThat(s.events()
                            .roomEventsBetween(
                                    RoomId.of("none", SERVER),
                                    RoomPosition.END,
                                    RoomPosition.START,
                                    10,
                                    Direction.BACKWARDS)
                            .events())
                    .isEmpty();
            assertThat(s.events()
                            .eventsAfter(
                                    s.events().get(ids.get(8)).orElseThrow().streamOrdering(), 10))
                    .extracting(StoredEvent::eventId)
                    .containsExactly(ids.get(9), ids.get(10));
            assertThat(s.streams().currentPosition(Stream.EVENTS))
                    .isEqualTo(s.events().get(ids.get(10)).orElseThrow().streamOrdering());
            assertThat(Set.copyOf(
                            s.events().getAll(List.of(ids.get(1), ids.get(2))).keySet()))
                    .containsExactlyInAnyOrder(ids.get(1), ids.get(2));
            assertThat(s.events().get(TestEvents.newEventId())).isEqualTo(Optional.empty());
        }
    }
}
