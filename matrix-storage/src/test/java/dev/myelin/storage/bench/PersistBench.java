package dev.myelin.storage.bench;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.persist.PersistedEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Storage throughput, bounded in time (each phase stops after its event count or ~10 s). Prints events
 * persisted per second (one room and 100 rooms, one transaction per event and batched), the time of a
 * state lookup in a room with 10,000 members, and the bytes stored per message event.
 *
 * <p>Run: see docs/storage.md ("Benchmark"). Arguments: {@code sqlite}, {@code postgres} or both (default).
 */
public final class PersistBench {
    private static final ServerName SERVER = ServerName.parse("bench.example");
    private static final UserId SENDER = UserId.of("sender", SERVER);
    private static final long PHASE_NANOS = 10_000_000_000L;

    private PersistBench() {}

    public static void main(String[] args) throws Exception {
        List<Kind> kinds = args.length == 0
                ? List.of(Kind.SQLITE, Kind.POSTGRES)
                : java.util.Arrays.stream(args)
                        .map(a -> Kind.valueOf(a.toUpperCase(java.util.Locale.ROOT)))
                        .toList();
        for (Kind kind : kinds) {
            System.out.println("== " + kind);
            run(kind);
        }
        System.exit(0);
    }

    private static void run(Kind kind) throws Exception {
        DatabaseConfig config = TestDatabases.freshConfig(kind);
        try (Database db = Database.open(config)) {
            Stores s = Stores.over(db);
            long bytesBefore = size(db);
            int persisted = 0;
            persisted += persistRate(s, "1 room,    1 event/tx   ", 1, 1, 5_000);
            persisted += persistRate(s, "1 room,    100 events/tx", 1, 100, 50_000);
            persisted += persistRate(s, "100 rooms, 1 event/tx   ", 100, 1, 5_000);
            persisted += persistRate(s, "100 rooms, 100 events/tx", 100, 100, 50_000);
            persisted += concurrentRate(s, "100 rooms, 8 threads x 1 event/call (group commit)", 100, 8, 50_000);
            long bytesAfter = size(db);
            System.out.printf(
                    "storage: %d bytes per message event (%d events, %d bytes)%n",
                    (bytesAfter - bytesBefore) / Math.max(1, persisted), persisted, bytesAfter - bytesBefore);
            stateLookup(s, 10_000);
        }
    }

    /** Persists up to {@code max} messages round-robin over {@code roomCount} rooms; returns how many. */
    private static int persistRate(Stores s, String label, int roomCount, int batch, int max) {
        List<RoomId> rooms = new ArrayList<>();
        List<EventId> heads = new ArrayList<>();
        List<Long> depths = new ArrayList<>();
        String tag = Long.toString(System.nanoTime(), 36);
        for (int r = 0; r < roomCount; r++) {
            RoomId room = RoomId.of("r" + tag + "x" + r, SERVER);
            Pdu create = TestEvents.create(room, SENDER);
            Pdu join = TestEvents.member(room, SENDER, "join", List.of(create.eventId()), 2);
            s.persister().persistAll(List.of(create, join));
            rooms.add(room);
            heads.add(join.eventId());
            depths.add(3L);
        }
        // events are built ahead so only persistence is timed
        List<Pdu> events = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            int r = i % roomCount;
            Pdu m = TestEvents.message(
                    rooms.get(r), SENDER, "message number " + i, List.of(heads.get(r)), depths.get(r));
            heads.set(r, m.eventId());
            depths.set(r, depths.get(r) + 1);
            events.add(m);
        }
        long start = System.nanoTime();
        int done = 0;
        while (done < max && System.nanoTime() - start < PHASE_NANOS) {
            List<Pdu> chunk = events.subList(done, Math.min(max, done + batch));
            if (batch == 1) {
                s.persister().persist(chunk.getFirst());
            } else {
                s.persister().persistAll(chunk);
            }
            done += chunk.size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("persist %s: %,8.0f events/s (%d events in %.2f s)%n", label, done / seconds, done, seconds);
        return done;
    }

    /** {@code threads} callers each persisting one event per call into their own share of the rooms. */
    private static int concurrentRate(Stores s, String label, int roomCount, int threads, int max) throws Exception {
        List<List<Pdu>> perThread = new ArrayList<>();
        String tag = Long.toString(System.nanoTime(), 36);
        for (int t = 0; t < threads; t++) {
            perThread.add(new ArrayList<>());
        }
        List<EventId> heads = new ArrayList<>();
        List<RoomId> rooms = new ArrayList<>();
        for (int r = 0; r < roomCount; r++) {
            RoomId room = RoomId.of("c" + tag + "x" + r, SERVER);
            Pdu create = TestEvents.create(room, SENDER);
            Pdu join = TestEvents.member(room, SENDER, "join", List.of(create.eventId()), 2);
            s.persister().persistAll(List.of(create, join));
            rooms.add(room);
            heads.add(join.eventId());
        }
        for (int i = 0; i < max; i++) {
            int r = i % roomCount;
            Pdu m = TestEvents.message(
                    rooms.get(r), SENDER, "message number " + i, List.of(heads.get(r)), 3 + i / roomCount);
            heads.set(r, m.eventId());
            perThread.get(r % threads).add(m);
        }
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (List<Pdu> mine : perThread) {
                futures.add(pool.submit(() -> {
                    for (Pdu p : mine) {
                        if (System.nanoTime() - start > PHASE_NANOS) {
                            return null;
                        }
                        s.persister().persist(p);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "persist %s: %,8.0f events/s (%d events in %.2f s)%n",
                label, done.get() / seconds, done.get(), seconds);
        return done.get();
    }

    private static void stateLookup(Stores s, int members) {
        RoomId room = RoomId.of("big" + Long.toString(System.nanoTime(), 36), SERVER);
        Pdu create = TestEvents.create(room, SENDER);
        s.persister().persist(create);
        EventId prev = create.eventId();
        long depth = 2;
        long start = System.nanoTime();
        List<Pdu> batch = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Pdu join = TestEvents.member(room, UserId.of("m" + i, SERVER), "join", List.of(prev), depth++);
            batch.add(join);
            prev = join.eventId();
            if (batch.size() == 500) {
                s.persister().persistAll(batch);
                batch.clear();
            }
        }
        s.persister().persistAll(batch);
        Pdu msg = TestEvents.message(room, SENDER, "hello everyone", List.of(prev), depth);
        PersistedEvent last = s.persister().persist(msg);
        System.out.printf(
                "built a room of %,d members in %.1f s; state rows stored: %,d (a full copy per "
                        + "join would be %,d)%n",
                members,
                (System.nanoTime() - start) / 1e9,
                s.state().entryCount(room),
                (long) members * (members + 1) / 2);
        int cold = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < cold; i++) {
            StateStore fresh = new StateStore(s.db()); // empty cache: walk the chain from the database
            Map<StateKey, EventId> state = fresh.stateAt(msg.eventId()).orElseThrow();
            if (state.size() != members + 1) {
                throw new IllegalStateException("wrong state size " + state.size());
            }
        }
        double coldMs = (System.nanoTime() - t0) / 1e6 / cold;
        int warm = 1000;
        long t1 = System.nanoTime();
        for (int i = 0; i < warm; i++) {
            s.state().stateAt(msg.eventId()).orElseThrow();
        }
        double warmMs = (System.nanoTime() - t1) / 1e6 / warm;
        long t2 = System.nanoTime();
        for (int i = 0; i < cold; i++) {
            s.state().joinedMemberCount(room);
        }
        double countMs = (System.nanoTime() - t2) / 1e6 / cold;
        System.out.printf(
                "state at an event, %,d members: %.2f ms uncached, %.3f ms cached; joined count %.3f ms"
                        + " (group %d)%n",
                members, coldMs, warmMs, countMs, last.stateGroup().orElse(-1));
    }

    private static long size(Database db) {
        if (db.isSqlite()) {
            // the logical size, WAL frames included: a checkpoint cannot run inside a transaction
            return db.read(tx -> tx.dsl()
                    .resultQuery("select page_count * page_size from pragma_page_count(), pragma_page_size()")
                    .fetchSingle()
                    .get(0, Long.class));
        }
        return db.read(tx -> tx.dsl()
                .resultQuery("select pg_database_size(current_database())")
                .fetchSingle()
                .get(0, Long.class));
    }
}
