package dev.myelin.storage.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link StateStore#entriesAt} answers as the whole state after each event would, across chains and snapshots. */
class StateEntriesAtTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eachKeyAfterEachEventIsWhatTheFullStateSays(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            s.persister().persist(create);
            EventId prev = create.eventId();
            List<EventId> events = new ArrayList<>(List.of(prev));
            List<StateKey> keys = new ArrayList<>(List.of(StateKey.of("m.room.create", "")));
            int depth = 2;
            // joins, then leaves of every third user: chains fill up, get rebased and snapshotted
            for (int i = 0; i < 70; i++) {
                UserId u = UserId.of("u" + i, SERVER);
                keys.add(StateKey.member(u.toString()));
                Pdu join = TestEvents.member(ROOM, u, "join", List.of(prev), depth++);
                s.persister().persist(join);
                prev = join.eventId();
                events.add(prev);
            }
            for (int i = 0; i < 70; i += 3) {
                Pdu leave = TestEvents.member(ROOM, UserId.of("u" + i, SERVER), "leave", List.of(prev), depth++);
                s.persister().persist(leave);
                prev = leave.eventId();
                events.add(prev);
            }
            List<StateStore.KeyAt> lookups = new ArrayList<>();
            Map<StateStore.KeyAt, EventId> expected = new HashMap<>();
            Stores reference = Stores.over(db);
            for (EventId event : events) {
                Map<StateKey, EventId> state = reference.state().stateAt(event).orElseThrow();
                for (StateKey key : keys) {
                    StateStore.KeyAt lookup = new StateStore.KeyAt(event, key);
                    lookups.add(lookup);
                    if (state.containsKey(key)) {
                        expected.put(lookup, state.get(key));
                    }
                }
            }
            lookups.add(new StateStore.KeyAt(new EventId("$unknown"), keys.getFirst()));

            assertThat(Stores.over(db).state().entriesAt(lookups))
                    .as("a fresh store, walking the chains in the database")
                    .isEqualTo(expected);
            assertThat(reference.state().entriesAt(lookups))
                    .as("a store with the groups cached")
                    .isEqualTo(expected);
            assertThat(reference.state().entriesAt(lookups))
                    .as("answered again from what it found")
                    .isEqualTo(expected);
        }
    }
}
