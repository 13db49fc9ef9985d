package dev.myelin.storage.persist;

import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_EDGES;
import static dev.myelin.storage.schema.Tables.EVENT_FORWARD_EXTREMITIES;
import static dev.myelin.storage.schema.Tables.EVENT_TO_STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A crash in the middle of the persister's transaction (here, inside the persister's own package). */
class PersistCrashTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTransactionThatThrowsMidwayLeavesNoTraceAndNoHole(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            RoomId room = RoomId.of("crash", SERVER);
            Pdu create = TestEvents.create(room, ALICE);
            long before = s.persister().persist(create).streamOrdering();

            Pdu doomed = TestEvents.member(room, ALICE, "join", List.of(create.eventId()), 2);
            assertThatThrownBy(() -> db.update(tx -> {
                        s.persister().persist(tx, doomed, EventContext.normal());
                        // everything for the event has been written inside the transaction by now
                        assertThat(tx.dsl()
                                        .fetchExists(
                                                EVENTS,
                                                EVENTS.EVENT_ID.eq(
                                                        doomed.eventId().value())))
                                .isTrue();
                        throw new IllegalStateException("power cut");
                    }))
                    .hasMessage("power cut");

            assertThat(s.events().exists(doomed.eventId())).isFalse();
            long leftovers = db.read(tx -> (long) tx.dsl()
                            .fetchCount(
                                    EVENT_EDGES,
                                    EVENT_EDGES.EVENT_ID.eq(doomed.eventId().value()))
                    + tx.dsl()
                            .fetchCount(
                                    EVENT_TO_STATE_GROUPS,
                                    EVENT_TO_STATE_GROUPS.EVENT_ID.eq(
                                            doomed.eventId().value()))
                    + tx.dsl()
                            .fetchCount(
                                    STATE_GROUPS,
                                    STATE_GROUPS.EVENT_ID.eq(doomed.eventId().value()))
                    + tx.dsl()
                            .fetchCount(
                                    EVENT_FORWARD_EXTREMITIES,
                                    EVENT_FORWARD_EXTREMITIES.EVENT_ID.eq(
                                            doomed.eventId().value())));
            assertThat(leftovers).isZero();
            assertThat(s.events().forwardExtremities(room)).containsExactly(create.eventId());
            assertThat(s.state().currentState(room)).hasSize(1);
            assertThat(s.streams().currentPosition(Stream.EVENTS)).isEqualTo(before);
            assertThat(s.streams().inFlight(Stream.EVENTS)).isZero();

            long after = s.persister().persist(doomed).streamOrdering();
            if (kind == Kind.SQLITE) {
                assertThat(after)
                        .as("the single writer hands the position out again")
                        .isEqualTo(before + 1);
            } else {
                assertThat(after).isGreaterThan(before);
            }
            assertThat(s.streams().currentPosition(Stream.EVENTS)).isEqualTo(after);
            // a reader that had synced up to `before` sees the event: nothing was skipped
            assertThat(s.events().eventsAfter(before, 10))
                    .extracting(StoredEvent::eventId)
                    .containsExactly(doomed.eventId());
            // and a restart picks up where the stream is
            assertThat(new StreamIds(db).currentPosition(Stream.EVENTS)).isEqualTo(after);
        }
    }
}
