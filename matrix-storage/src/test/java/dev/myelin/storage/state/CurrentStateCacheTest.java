package dev.myelin.storage.state;

import static dev.myelin.storage.schema.Tables.CURRENT_STATE_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The room's current state held in memory by {@link StateStore} never answers with a superseded value. */
class CurrentStateCacheTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final RoomId ROOM = RoomId.of("room", SERVER);
    private static final RoomId OTHER = RoomId.of("other", SERVER);
    private static final StateKey NAME = StateKey.of("m.room.name", "");

    private static UserId user(int i) {
        return UserId.of("u" + i, SERVER);
    }

    private static EventId event(String name) {
        return new EventId("$" + name);
    }

    private static void set(Database db, StateStore state, RoomId room, UserId user, String membership, String id) {
        db.write(tx -> {
            state.setCurrentState(tx, room, StateKey.member(user.toString()), event(id), membership);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCommittedChangeShowsOnTheNextReadOfEveryView(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StateStore state = new StateStore(db);
            set(db, state, ROOM, user(1), "join", "j1");
            set(db, state, ROOM, user(2), "join", "j2");
            assertThat(state.joinedMembers(ROOM)).containsExactly(user(1), user(2));
            assertThat(state.currentState(ROOM)).hasSize(2);

            set(db, state, ROOM, user(1), "leave", "l1");
            db.write(tx -> {
                state.setCurrentState(tx, ROOM, NAME, event("n1"), null);
                return null;
            });

            assertThat(state.joinedMembers(ROOM)).containsExactly(user(2));
            assertThat(state.joinedServers(ROOM)).containsExactly(Map.entry(SERVER, 1));
            assertThat(state.currentStateEvent(ROOM, StateKey.member(user(1).toString())))
                    .contains(event("l1"));
            assertThat(state.currentStateEvent(ROOM, NAME)).contains(event("n1"));
            assertThat(state.memberCount(ROOM, Membership.LEAVE)).isEqualTo(1);
            assertThat(state.memberCount(ROOM, Membership.JOIN)).isEqualTo(1);
            assertThat(state.currentState(ROOM, List.of(NAME, StateKey.member(user(9).toString()))))
                    .containsExactly(Map.entry(NAME, event("n1")));
            assertThat(state.currentState(OTHER)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aKeyRemovedByAStateResetIsGoneOnTheNextRead(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StateStore state = new StateStore(db);
            set(db, state, ROOM, user(1), "join", "j1");
            set(db, state, ROOM, user(2), "join", "j2");
            assertThat(state.joinedMembers(ROOM)).hasSize(2);

            db.write(tx -> {
                state.removeCurrentState(tx, ROOM, StateKey.member(user(2).toString()));
                return null;
            });

            assertThat(state.joinedMembers(ROOM)).containsExactly(user(1));
            assertThat(state.joinedServers(ROOM)).containsExactly(Map.entry(SERVER, 1));
            assertThat(state.currentState(ROOM)).doesNotContainKey(StateKey.member(user(2).toString()));
            assertThat(state.joinedMemberCount(ROOM)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRolledBackChangeIsNeverServed(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StateStore state = new StateStore(db);
            set(db, state, ROOM, user(1), "join", "j1");
            assertThat(state.joinedMembers(ROOM)).containsExactly(user(1));

            assertThatThrownBy(() -> db.write(tx -> {
                        state.setCurrentState(tx, ROOM, StateKey.member(user(1).toString()), event("l1"), "leave");
                        state.setCurrentState(tx, ROOM, StateKey.member(user(2).toString()), event("j2"), "join");
                        assertThat(state.currentState(tx, ROOM))
                                .as("the writing transaction sees its own change")
                                .containsEntry(StateKey.member(user(2).toString()), event("j2"));
                        throw new IllegalStateException("rolled back");
                    }))
                    .isInstanceOf(IllegalStateException.class);

            assertThat(state.joinedMembers(ROOM)).containsExactly(user(1));
            assertThat(state.currentState(ROOM)).containsOnlyKeys(StateKey.member(user(1).toString()));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStoreOverTheSameDatabaseSeesTheOtherStoresChange(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StateStore reader = new StateStore(db);
            StateStore writer = new StateStore(db);
            set(db, writer, ROOM, user(1), "join", "j1");
            assertThat(reader.joinedMembers(ROOM)).containsExactly(user(1));

            set(db, writer, ROOM, user(2), "join", "j2");

            assertThat(reader.joinedMembers(ROOM)).containsExactly(user(1), user(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anInvalidationFromAnotherProcessDropsWhatItChanged(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StateStore state = new StateStore(db);
            set(db, state, ROOM, user(1), "join", "j1");
            assertThat(state.joinedMembers(ROOM)).containsExactly(user(1));
            // another process writes the row and sends its invalidation, which this one applies
            db.write(tx -> tx.dsl()
                    .update(CURRENT_STATE_EVENTS)
                    .set(CURRENT_STATE_EVENTS.MEMBERSHIP, "leave")
                    .set(CURRENT_STATE_EVENTS.EVENT_ID, "$l1")
                    .execute());
            assertThat(state.joinedMembers(ROOM)).as("not told yet").containsExactly(user(1));

            db.invalidation()
                    .apply(
                            CurrentStateCache.NAME,
                            List.of(CurrentStateCache.key(ROOM, StateKey.member(user(1).toString()))));
            assertThat(state.joinedMembers(ROOM)).isEmpty();

            db.write(tx -> tx.dsl()
                    .update(CURRENT_STATE_EVENTS)
                    .set(CURRENT_STATE_EVENTS.MEMBERSHIP, "join")
                    .execute());
            db.invalidation().apply(CurrentStateCache.NAME, List.of(ROOM.value()));
            assertThat(state.joinedMembers(ROOM)).as("a whole room").containsExactly(user(1));

            db.write(tx -> tx.dsl().deleteFrom(CURRENT_STATE_EVENTS).execute());
            db.invalidation().apply(CurrentStateCache.NAME, List.of());
            assertThat(state.currentState(ROOM)).as("every room").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentReadersAlwaysSeeEveryChangeCommittedBeforeTheyStarted(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            StateStore state = new StateStore(db);
            set(db, state, ROOM, user(0), "join", "j0");
            int writers = 4;
            int perWriter = 25;
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(writers + 2)) {
                List<Future<?>> tasks = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int first = 1 + w * perWriter;
                    tasks.add(pool.submit(() -> {
                        start.await();
                        for (int i = first; i < first + perWriter; i++) {
                            set(db, state, ROOM, user(i), "join", "j" + i);
                            // committed: this read starts after it, so it must see it
                            if (!state.joinedMembers(ROOM).contains(user(i))) {
                                failures.add("join of " + user(i) + " not seen after its commit");
                            }
                            set(db, state, ROOM, user(i), i % 2 == 0 ? "leave" : "join", "x" + i);
                            String expected = i % 2 == 0 ? "leave" : "join";
                            String seen =
                                    state
                                            .currentState(ROOM, List.of(StateKey.member(user(i).toString())))
                                            .values()
                                            .stream()
                                            .findFirst()
                                            .map(EventId::value)
                                            .orElse("none");
                            if (!seen.equals("$x" + i)) {
                                failures.add(user(i) + " " + expected + " read as " + seen);
                            }
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < 2; r++) {
                    tasks.add(pool.submit(() -> {
                        start.await();
                        while (!done.get()) {
                            state.currentState(ROOM);
                            state.joinedMembers(ROOM);
                            Thread.yield();
                        }
                        return null;
                    }));
                }
                start.countDown();
                try {
                    for (int i = 0; i < writers; i++) {
                        tasks.get(i).get(2, TimeUnit.MINUTES);
                    }
                } finally {
                    done.set(true);
                }
                for (Future<?> task : tasks) {
                    task.get(1, TimeUnit.MINUTES);
                }
            }
            assertThat(failures).isEmpty();
            Map<StateKey, EventId> fromDatabase = db.read(tx -> state.currentState(tx, ROOM));
            assertThat(state.currentState(ROOM)).isEqualTo(fromDatabase);
            List<UserId> joined = new ArrayList<>(List.of(user(0)));
            for (int i = 1; i <= writers * perWriter; i++) {
                if (i % 2 == 1) {
                    joined.add(user(i));
                }
            }
            assertThat(state.joinedMembers(ROOM)).containsExactlyInAnyOrderElementsOf(joined);
            assertThat(state.joinedServers(ROOM)).containsExactly(Map.entry(SERVER, joined.size()));
            assertThat(state.joinedMembers(ROOM)).isSortedAccordingTo(java.util.Comparator.comparing(UserId::toString));
        }
    }
}
