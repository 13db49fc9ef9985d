package dev.myelin.storage.stream;

import static dev.myelin.storage.schema.Tables.ROOM_STATS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamAndCrashTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readersNeverSeePastAnUncommittedPosition(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            StreamIds streams = new StreamIds(db);
            AccountDataStore data = new AccountDataStore(db, streams);
            long start = streams.currentPosition(Stream.ACCOUNT_DATA);
            CountDownLatch allocated = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Long> slow = pool.submit(() -> db.write(tx -> {
                    long id = streams.allocate(tx, Stream.ACCOUNT_DATA);
                    allocated.countDown();
                    release.await();
                    return id;
                }));
                allocated.await();
                assertThat(streams.currentPosition(Stream.ACCOUNT_DATA)).isEqualTo(start);
                assertThat(streams.inFlight(Stream.ACCOUNT_DATA)).isEqualTo(1);
                if (kind == Kind.POSTGRES) {
                    // a second writer commits a later position first; readers must still wait for the first
                    long later = data.putGlobal(ALICE, "x", Json.object());
                    assertThat(later).isGreaterThan(start + 1);
                    assertThat(streams.currentPosition(Stream.ACCOUNT_DATA)).isEqualTo(start);
                    assertThat(data.changesSince(ALICE, start)).isEmpty();
                    release.countDown();
                    slow.get();
                    assertThat(streams.currentPosition(Stream.ACCOUNT_DATA)).isEqualTo(later);
                    assertThat(data.changesSince(ALICE, start)).hasSize(1);
                } else {
                    release.countDown();
                    assertThat(slow.get()).isEqualTo(start + 1);
                    assertThat(streams.currentPosition(Stream.ACCOUNT_DATA)).isEqualTo(start + 1);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentWritersLoseNothing(Kind kind) throws Exception {
        int threads = 8;
        int writesEach = 200;
        try (Database db = TestDatabases.fresh(kind)) {
            Stores s = Stores.over(db);
            List<RoomId> rooms = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RoomId room = RoomId.of("r" + t, SERVER);
                rooms.add(room);
                s.persister().persist(TestEvents.create(room, ALICE));
            }
            AccountDataStore data = new AccountDataStore(db, s.streams());
            db.update(tx -> tx.dsl()
                    .insertInto(ROOM_STATS)
                    .set(ROOM_STATS.ROOM_ID, "counter")
                    .set(ROOM_STATS.JOINED_MEMBERS, 0L)
                    .execute());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    RoomId room = rooms.get(t);
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        EventId prev =
                                s.events().forwardExtremities(room).iterator().next();
                        for (int i = 0; i < writesEach; i++) {
                            Pdu m = TestEvents.message(room, ALICE, "m" + i, List.of(prev), i + 2);
                            s.persister().persist(m);
                            prev = m.eventId();
                            // a read-modify-write on one shared row: lost updates would show in the count
                            db.update(tx -> {
                                var select = tx.dsl()
                                        .select(ROOM_STATS.JOINED_MEMBERS)
                                        .from(ROOM_STATS)
                                        .where(ROOM_STATS.ROOM_ID.eq("counter"));
                                long value = (db.isSqlite() ? select : select.forUpdate())
                                        .fetchSingle(ROOM_STATS.JOINED_MEMBERS);
                                tx.dsl()
                                        .update(ROOM_STATS)
                                        .set(ROOM_STATS.JOINED_MEMBERS, value + 1)
                                        .where(ROOM_STATS.ROOM_ID.eq("counter"))
                                        .execute();
                            });
                            if (i % 50 == 0) {
                                data.putGlobal(
                                        ALICE, "t" + thread, Json.object().put("i", i));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            long counted = db.read(tx -> tx.dsl()
                    .select(ROOM_STATS.JOINED_MEMBERS)
                    .from(ROOM_STATS)
                    .where(ROOM_STATS.ROOM_ID.eq("counter"))
                    .fetchSingle(ROOM_STATS.JOINED_MEMBERS));
            assertThat(counted).as("no lost updates").isEqualTo((long) threads * writesEach);
            List<StoredEvent> all = s.events().eventsAfter(0, 100_000);
            assertThat(all).hasSize(threads * (writesEach + 1));
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).streamOrdering())
                        .isGreaterThan(all.get(i - 1).streamOrdering());
            }
            if (kind == Kind.SQLITE) {
                assertThat(all.getLast().streamOrdering() - all.getFirst().streamOrdering())
                        .as("no holes with one writer")
                        .isEqualTo(all.size() - 1);
            }
            for (RoomId room : rooms) {
                assertThat(s.events().forwardExtremities(room)).hasSize(1);
            }
            assertThat(s.streams().currentPosition(Stream.EVENTS))
                    .isEqualTo(all.getLast().streamOrdering());
            assertThat(s.streams().inFlight(Stream.EVENTS)).isZero();
        }
    }
}
