package dev.myelin.storage.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A room joined over federation: its state and auth chain as outliers, the join in the timeline,
 * then the history before the join backfilled, oldest first.
 */
class BackfilledEventsTest {
    private static final ServerName THERE = ServerName.parse("there.org");
    private static final UserId ALICE = UserId.of("alice", THERE);
    private static final UserId BOB = UserId.of("bob", ServerName.parse("here.org"));
    private static final RoomId ROOM = RoomId.of("room", THERE);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void backfilledHistoryFillsTheTimelineBelowTheJoinWithoutTouchingTheRoomsPresent(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            Pdu aliceJoin = TestEvents.member(ROOM, ALICE, "join", List.of(create.eventId()), 2);
            Pdu message = TestEvents.message(ROOM, ALICE, "before bob", List.of(aliceJoin.eventId()), 3);
            Pdu topic = TestEvents.event(ROOM, ALICE, "m.room.topic")
                    .stateKey("")
                    .content("topic", "old news")
                    .prev(List.of(message.eventId()))
                    .depth(4)
                    .build();
            Pdu bobJoin = TestEvents.member(ROOM, BOB, "join", List.of(topic.eventId()), 5);
            s.persister().persist(create, EventContext.outlierEvent());
            s.persister().persist(aliceJoin, EventContext.outlierEvent());
            Map<StateKey, EventId> joinState = Map.of(
                    StateKey.of("m.room.create", ""), create.eventId(),
                    StateKey.of("m.room.member", ALICE.toString()), aliceJoin.eventId());
            s.persister().persist(bobJoin, EventContext.withStateBefore(joinState));

            assertThat(s.events().backwardExtremities(ROOM, 10)).containsExactly(topic.eventId());
            assertThat(s.events().citesBackwardExtremity(ROOM, List.of(bobJoin.eventId())))
                    .isTrue();
            assertThat(s.events().citesBackwardExtremity(ROOM, List.of(aliceJoin.eventId())))
                    .isFalse();
            long streamBefore = s.events().currentPosition();

            s.persister().persist(create, EventContext.backfilled(Optional.of(Map.of())));
            s.persister().persist(aliceJoin, EventContext.backfilled(Optional.empty()));
            s.persister().persist(message, EventContext.backfilled(Optional.empty()));
            s.persister().persist(topic, EventContext.backfilled(Optional.empty()));
            s.persister().persist(topic, EventContext.backfilled(Optional.empty())); // again: no change

            assertThat(s.events().backwardExtremities(ROOM, 10)).isEmpty();
            assertThat(s.events().citesBackwardExtremity(ROOM, List.of(bobJoin.eventId())))
                    .isFalse();
            assertThat(s.events().forwardExtremities(ROOM)).containsExactly(bobJoin.eventId());
            assertThat(s.state().currentState(ROOM))
                    .as("the backfilled topic is history, not the room's current state")
                    .doesNotContainKey(StateKey.of("m.room.topic", ""));
            assertThat(s.events().currentPosition()).isEqualTo(streamBefore);
            assertThat(s.events().eventsAfter(0, 10))
                    .extracting(StoredEvent::eventId)
                    .containsExactly(bobJoin.eventId());
            for (Pdu backfilled : List.of(create, aliceJoin, message, topic)) {
                StoredEvent stored = s.events().get(backfilled.eventId()).orElseThrow();
                assertThat(stored.outlier()).isFalse();
                assertThat(stored.streamOrdering()).isNegative();
            }
            assertThat(s.state().stateAt(topic.eventId()).orElseThrow())
                    .containsEntry(StateKey.of("m.room.topic", ""), topic.eventId())
                    .containsEntry(StateKey.of("m.room.member", ALICE.toString()), aliceJoin.eventId());
            assertThat(s.events()
                            .roomEventsBetween(ROOM, RoomPosition.END, RoomPosition.START, 10, Direction.BACKWARDS)
                            .events())
                    .extracting(StoredEvent::eventId)
                    .containsExactly(
                            bobJoin.eventId(),
                            topic.eventId(),
                            message.eventId(),
                            aliceJoin.eventId(),
                            create.eventId());
        }
    }
}
