package dev.myelin.storage.relation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.relation.RelationStore.ThreadActivity;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Relations are indexed by the event persister, as the server writes them, and read back here. */
class RelationStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final UserId CAROL = UserId.of("carol", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);
    private static final RoomId OTHER_ROOM = RoomId.of("other", SERVER);

    /**
     * Alice's root1 gets Bob's thread replies t1 and t3 and Alice's reaction a1; Bob's root2 gets his
     * own thread reply t2. Three events carry an {@code m.relates_to} that is not indexed.
     */
    private static final class Room {
        final Stores stores;
        final RelationStore relations;
        final Map<EventId, RoomPosition> positions = new HashMap<>();
        long depth;
        EventId last;
        EventId root1;
        EventId root2;
        EventId t1;
        EventId a1;
        EventId t2;
        EventId t3;
        EventId self;

        Room(Database db) {
            stores = Stores.over(db);
            relations = new RelationStore(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            persist(create);
            depth = create.depth();
            persist(TestEvents.member(ROOM, ALICE, "join", List.of(last), ++depth));
            persist(TestEvents.member(ROOM, BOB, "join", List.of(last), ++depth));
            root1 = persist(message(ALICE, Optional.empty()));
            root2 = persist(message(BOB, Optional.empty()));
            t1 = persist(message(BOB, Optional.of(relatesTo("m.thread", root1.value()))));
            a1 = persist(TestEvents.event(ROOM, ALICE, "m.reaction")
                    .content(
                            "m.relates_to",
                            relatesTo("m.annotation", root1.value()).put("key", "👍"))
                    .prev(List.of(last))
                    .depth(++depth)
                    .build());
            t2 = persist(message(BOB, Optional.of(relatesTo("m.thread", root2.value()))));
            EventId selfId = TestEvents.newEventId();
            self = persist(TestEvents.event(ROOM, ALICE, "m.room.message")
                    .id(selfId)
                    .content("m.relates_to", relatesTo("m.thread", selfId.value()))
                    .prev(List.of(last))
                    .depth(++depth)
                    .build());
            persist(message(ALICE, Optional.of(relatesTo("m.thread", "not-an-event-id"))));
            persist(message(
                    ALICE,
                    Optional.of(JsonNodeFactory.instance
                            .objectNode()
                            .set(
                                    "m.in_reply_to",
                                    JsonNodeFactory.instance.objectNode().put("event_id", root1.value())))));
            t3 = persist(message(BOB, Optional.of(relatesTo("m.thread", root1.value()))));
        }

        private Pdu message(UserId sender, Optional<ObjectNode> relatesTo) {
            TestEvents.Builder event =
                    TestEvents.event(ROOM, sender, "m.room.message").content("body", "text");
            relatesTo.ifPresent(r -> event.content("m.relates_to", r));
            return event.prev(List.of(last)).depth(++depth).build();
        }

        EventId persist(Pdu event) {
            long stream = stores.persister().persist(event).streamOrdering();
            positions.put(event.eventId(), new RoomPosition(event.depth(), stream));
            last = event.eventId();
            return event.eventId();
        }

        Relation relation(EventId event, EventId parent, String relType, String type, UserId sender) {
            return new Relation(event, parent, relType, type, sender.toString(), positions.get(event));
        }

        long stream(EventId event) {
            return positions.get(event).stream();
        }
    }

    private static ObjectNode relatesTo(String relType, String eventId) {
        return JsonNodeFactory.instance.objectNode().put("rel_type", relType).put("event_id", eventId);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void listsChildrenInBothDirectionsWithFiltersBoundsAndLimit(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            Relation t1 = r.relation(r.t1, r.root1, "m.thread", "m.room.message", BOB);
            Relation a1 = r.relation(r.a1, r.root1, "m.annotation", "m.reaction", ALICE);
            Relation t2 = r.relation(r.t2, r.root2, "m.thread", "m.room.message", BOB);
            Relation t3 = r.relation(r.t3, r.root1, "m.thread", "m.room.message", BOB);
            RelationStore store = r.relations;
            List<EventId> root1 = List.of(r.root1);

            assertThat(store.children(ROOM, root1, null, null, RoomPosition.END, Direction.BACKWARDS, 10))
                    .isEqualTo(List.of(t3, a1, t1));
            assertThat(store.children(ROOM, root1, null, null, RoomPosition.START, Direction.FORWARDS, 10))
                    .isEqualTo(List.of(t1, a1, t3));
            assertThat(store.children(ROOM, root1, "m.thread", null, RoomPosition.END, Direction.BACKWARDS, 10))
                    .isEqualTo(List.of(t3, t1));
            assertThat(store.children(ROOM, root1, null, "m.reaction", RoomPosition.END, Direction.BACKWARDS, 10))
                    .isEqualTo(List.of(a1));
            assertThat(store.children(ROOM, root1, "m.thread", "m.reaction", RoomPosition.END, Direction.BACKWARDS, 10))
                    .isEmpty();
            RoomPosition atA1 = r.positions.get(r.a1);
            assertThat(store.children(ROOM, root1, null, null, atA1, Direction.BACKWARDS, 10))
                    .as("backwards includes the event at the position")
                    .isEqualTo(List.of(a1, t1));
            assertThat(store.children(ROOM, root1, null, null, atA1, Direction.FORWARDS, 10))
                    .as("forwards starts after it")
                    .isEqualTo(List.of(t3));
            assertThat(store.children(ROOM, root1, null, null, RoomPosition.END, Direction.BACKWARDS, 1))
                    .isEqualTo(List.of(t3));
            assertThat(store.children(
                            ROOM, List.of(r.root1, r.root2), null, null, RoomPosition.START, Direction.FORWARDS, 10))
                    .isEqualTo(List.of(t1, a1, t2, t3));
            assertThat(store.children(OTHER_ROOM, root1, null, null, RoomPosition.END, Direction.BACKWARDS, 10))
                    .as("another room's view of the same ids")
                    .isEmpty();

            assertThat(store.childIds(ROOM, root1, 10)).containsExactlyInAnyOrder(r.t1, r.a1, r.t3);
            assertThat(store.childIds(ROOM, root1, 2)).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void relationsWithoutATypeToThemselvesOrToANonEventAreNotIndexed(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);

            assertThat(r.relations.childIds(ROOM, List.of(r.self), 10)).isEmpty();
            assertThat(r.relations.children(
                            ROOM, List.of(r.root1), null, null, RoomPosition.START, Direction.FORWARDS, 100))
                    .extracting(Relation::eventId)
                    .as("the m.in_reply_to reply is not a relation")
                    .containsExactly(r.t1, r.a1, r.t3);
            assertThat(r.relations.threads(ROOM, null, Long.MAX_VALUE, 10))
                    .extracting(ThreadActivity::root)
                    .containsExactly(r.root1, r.root2);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void listsThreadsByLatestActivityForEveryoneOrForAParticipant(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            ThreadActivity root1 = new ThreadActivity(r.root1, r.stream(r.t3));
            ThreadActivity root2 = new ThreadActivity(r.root2, r.stream(r.t2));
            RelationStore store = r.relations;

            assertThat(store.threads(ROOM, null, Long.MAX_VALUE, 10)).isEqualTo(List.of(root1, root2));
            assertThat(store.threads(ROOM, null, r.stream(r.t3), 10))
                    .as("activity before the position only")
                    .isEqualTo(List.of(root2));
            assertThat(store.threads(ROOM, null, Long.MAX_VALUE, 1)).isEqualTo(List.of(root1));
            assertThat(store.threads(ROOM, ALICE, Long.MAX_VALUE, 10))
                    .as("alice started root1 and never replied")
                    .isEqualTo(List.of(root1));
            assertThat(store.threads(ROOM, BOB, Long.MAX_VALUE, 10))
                    .as("bob replied in root1 and started root2")
                    .isEqualTo(List.of(root1, root2));
            assertThat(store.threads(ROOM, CAROL, Long.MAX_VALUE, 10)).isEmpty();
            assertThat(store.threads(OTHER_ROOM, null, Long.MAX_VALUE, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void summarisesThreadsAndFindsRepliesByAUser(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            RelationStore store = r.relations;

            assertThat(store.threadSummaries(List.of(r.root1, r.root2, r.a1)))
                    .isEqualTo(Map.of(
                            r.root1, new ThreadSummary(r.root1, 2, r.t3),
                            r.root2, new ThreadSummary(r.root2, 1, r.t2)));
            assertThat(store.threadSummaries(List.of())).isEmpty();
            assertThat(store.threadsWithReplyFrom(List.of(r.root1, r.root2), BOB))
                    .containsExactlyInAnyOrder(r.root1, r.root2);
            assertThat(store.threadsWithReplyFrom(List.of(r.root1, r.root2), ALICE))
                    .isEmpty();
            assertThat(store.threadsWithReplyFrom(List.of(), BOB)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRedactedEventLeavesTheIndex(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            r.persist(TestEvents.event(ROOM, BOB, "m.room.redaction")
                    .redacts(r.t3)
                    .prev(List.of(r.last))
                    .depth(++r.depth)
                    .build());

            assertThat(r.relations.children(
                            ROOM, List.of(r.root1), null, null, RoomPosition.END, Direction.BACKWARDS, 10))
                    .isEqualTo(List.of(
                            r.relation(r.a1, r.root1, "m.annotation", "m.reaction", ALICE),
                            r.relation(r.t1, r.root1, "m.thread", "m.room.message", BOB)));
            assertThat(r.relations.threadSummaries(List.of(r.root1)))
                    .isEqualTo(Map.of(r.root1, new ThreadSummary(r.root1, 1, r.t1)));
        }
    }
}
