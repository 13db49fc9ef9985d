package dev.myelin.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.account.PasswordHasher;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.push.Pusher;
import dev.myelin.storage.push.PusherStore;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stores' row caches (accounts, rooms, pushers) never outlive the rows: a change made through
 * another instance over the same database (another area, another request) is seen by the next read,
 * also while reads run concurrently, and a rolled-back write leaves the cache right.
 */
class StoreCachesTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room1", SERVER);
    private static final ManualClock CLOCK = new ManualClock(Instant.ofEpochMilli(1_000));

    private static Pusher pusher(UserId user, String pushkey, String device) {
        var json = JsonNodeFactory.instance
                .objectNode()
                .put("pushkey", pushkey)
                .put("app_id", "app")
                .put("kind", "http");
        return new Pusher(user, "app", pushkey, "http", Optional.of(DeviceId.parse(device)), json);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void accountChangesAreSeenByTheNextRead(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            UserStore reader = new UserStore(db, CLOCK, PasswordHasher.bcrypt(4));
            UserStore writer = new UserStore(db, CLOCK, PasswordHasher.bcrypt(4));
            assertThat(reader.get(ALICE)).as("unknown users are not cached").isEmpty();
            writer.create(ALICE, null, false);
            assertThat(reader.get(ALICE)).map(UserAccount::deactivated).contains(false);
            writer.setAdmin(ALICE, true);
            assertThat(reader.get(ALICE)).map(UserAccount::admin).contains(true);
            writer.deactivate(ALICE);
            assertThat(reader.get(ALICE)).map(UserAccount::deactivated).contains(true);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void roomChangesAreSeenByTheNextRead(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            RoomStore reader = new RoomStore(db);
            RoomStore writer = new RoomStore(db);
            assertThat(reader.get(ROOM)).isEmpty();
            writer.create(ROOM, RoomVersions.V10, ALICE, false);
            assertThat(reader.get(ROOM)).map(Room::isPublic).contains(false);
            writer.setPublic(ROOM, true);
            assertThat(reader.get(ROOM)).map(Room::isPublic).contains(true);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void pusherChangesAreSeenByTheNextRead(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            PusherStore reader = new PusherStore(db, CLOCK);
            PusherStore writer = new PusherStore(db, CLOCK);
            assertThat(reader.forUser(ALICE)).as("an empty list is cached too").isEmpty();
            writer.put(pusher(ALICE, "k1", "D1"), false);
            assertThat(reader.forUser(ALICE)).extracting(Pusher::pushkey).containsExactly("k1");
            assertThat(reader.forUser(BOB)).isEmpty();
            writer.put(pusher(BOB, "k1", "D1"), false);
            assertThat(reader.forUser(ALICE)).as("taken over by bob").isEmpty();
            assertThat(reader.forUser(BOB)).extracting(Pusher::pushkey).containsExactly("k1");
            writer.put(pusher(BOB, "k2", "D2"), true);
            assertThat(reader.forUser(BOB)).hasSize(2);
            writer.deleteForDevice(BOB, DeviceId.parse("D1"));
            assertThat(reader.forUser(BOB)).extracting(Pusher::pushkey).containsExactly("k2");
            writer.delete(BOB, "app", "k2");
            assertThat(reader.forUser(BOB)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRolledBackWriteLeavesTheCachedRowRight(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            RoomStore rooms = new RoomStore(db);
            rooms.create(ROOM, RoomVersions.V10, ALICE, false);
            assertThat(rooms.get(ROOM)).map(Room::isPublic).contains(false);
            assertThatThrownBy(() -> db.update(tx -> {
                        tx.dsl().execute("UPDATE rooms SET is_public = TRUE WHERE room_id = ?", ROOM.value());
                        throw new IllegalStateException("abandoned");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(rooms.get(ROOM)).map(Room::isPublic).contains(false);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentReadsNeverKeepARowOlderThanACompletedWrite(Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind);
                var pool = Executors.newFixedThreadPool(4)) {
            PusherStore reader = new PusherStore(db, CLOCK);
            PusherStore writer = new PusherStore(db, CLOCK);
            AtomicInteger written = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    int stale = 0;
                    while (written.get() < 15) {
                        int before = written.get();
                        if (reader.forUser(ALICE).size() < before) {
                            stale++;
                        }
                    }
                    return stale;
                }));
            }
            start.countDown();
            try {
                for (int i = 1; i <= 15; i++) {
                    writer.put(pusher(ALICE, "k" + i, "D"), true);
                    written.set(i);
                    assertThat(reader.forUser(ALICE)).hasSize(i);
                }
            } finally {
                written.set(15); // the readers stop even when an assertion failed
            }
            for (Future<Integer> r : readers) {
                assertThat(r.get()).as("reads that missed a completed write").isZero();
            }
        }
    }
}
