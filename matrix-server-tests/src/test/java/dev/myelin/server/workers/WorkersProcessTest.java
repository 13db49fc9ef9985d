package dev.myelin.server.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.server.workers.ProcessClient.Account;
import dev.myelin.server.workers.ProcessClient.Reply;
import dev.myelin.server.workers.SendLoad.Sent;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.testing.workers.RedisProcess;
import dev.myelin.testing.workers.WorkerDeployment;
import dev.myelin.testing.workers.WorkerRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One homeserver as five real processes on loopback (a main process, two event persisters and a
 * sync worker, sharing an embedded PostgreSQL and a Redis server), reached as clients reach a
 * deployment: through a reverse proxy routing by path, or straight to one process. It shows that
 * events sent through any process reach every user's {@code /sync} on the sync worker quickly,
 * exactly once and in order, that killing a persister ({@code SIGKILL}) or Redis loses nothing
 * acknowledged, and that a change made on one process is seen on the others at once.
 *
 * <p>Runs in the PostgreSQL pass only, and is skipped when {@code redis-server} is not installed
 * (Debian: {@code apt-get install redis-server}). Uses the jar {@code matrix-server/target/myelin.jar}
 * (system property {@code myelin.jar}), which the reactor build packages before this module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkersProcessTest {
    /** Everything of a room's timeline since the last sync, and nothing the tests do not look at. */
    private static final String FILTER =
            "{\"room\":{\"timeline\":{\"limit\":1000}},\"presence\":{\"types\":[]},\"account_data\":{\"types\":[]}}";

    private static final long TARGET_MILLIS = 100;

    private WorkerDeployment hs;
    private ProcessClient client;
    private final AtomicInteger users = new AtomicInteger();

    @BeforeAll
    void startDeployment() throws Exception {
        assumeTrue(
                "postgres".equals(System.getProperty("myelin.test.database")),
                "several processes share one database only on PostgreSQL: runs in the PostgreSQL pass");
        assumeTrue(
                RedisProcess.findBinary().isPresent(),
                "redis-server is not installed (Debian: apt-get install redis-server): multi-process tests skipped");
        Path jar = Path.of(System.getProperty("myelin.jar", "../matrix-server/target/myelin.jar"));
        assumeTrue(
                Files.isRegularFile(jar),
                "no homeserver jar at " + jar.toAbsolutePath()
                        + " (./mvnw -B -ntp package -DskipTests -pl matrix-server -am builds it)");
        hs = WorkerDeployment.builder(jar, TestDatabases.freshConfig(Kind.POSTGRES))
                .eventPersisters(2)
                .syncWorkers(1)
                .start();
        client = new ProcessClient();
    }

    @AfterAll
    void stopDeployment() {
        if (client != null) {
            client.close();
        }
        if (hs != null) {
            hs.close();
        }
    }

    @Test
    @Order(1)
    void aDisplayNameAndATopicChangedThroughMainAreSeenOnTheOtherProcessesWithin100Ms() throws Exception {
        Account carol = register("carol");
        String room = client.createRoom(hs.proxyUrl(), carol);
        require(client.setDisplayName(url("main"), carol, "Carol before"), "set the first display name");
        require(client.setTopic(url("main"), carol, room, "topic before"), "set the first topic");
        List<String> others = List.of("sync1", "persister1", "persister2");
        List<String> allButNone = List.of("main", "sync1", "persister1", "persister2");
        // every process reads (and caches) the old values before they change
        for (String p : others) {
            assertThat(Visibility.poll(() -> displayName(p, carol), "Carol before", Duration.ofSeconds(10))
                            .seen())
                    .as(() -> p + " never served the first display name; " + logs())
                    .isTrue();
        }
        for (String p : allButNone) {
            assertThat(Visibility.poll(() -> topic(p, carol, room), "topic before", Duration.ofSeconds(10))
                            .seen())
                    .as(() -> p + " never served the first topic; " + logs())
                    .isTrue();
        }

        require(client.setDisplayName(url("main"), carol, "Carol after"), "change the display name");
        Map<String, Visibility> name = Visibility.pollAll(others, p -> () -> displayName(p, carol), "Carol after");
        require(client.setTopic(url("main"), carol, room, "topic after"), "change the topic");
        Map<String, Visibility> topic = Visibility.pollAll(allButNone, p -> () -> topic(p, carol, room), "topic after");

        System.out.println("[workers] display name changed on main, then on each process: " + name
                + "; topic changed through main: " + topic);
        // a read that began 100 ms after the change and still got the old value proves the change
        // late; how long a read itself takes on a loaded machine is not the question
        assertThat(name)
                .as(() -> "each process's reads of the display name after it changed; " + logs())
                .allSatisfy((p, v) -> assertThat(v.withinMillis(TARGET_MILLIS))
                        .as(p + ": " + v)
                        .isTrue());
        assertThat(topic)
                .as(() -> "each process's reads of the topic after it changed; " + logs())
                .allSatisfy((p, v) -> assertThat(v.withinMillis(TARGET_MILLIS))
                        .as(p + ": " + v)
                        .isTrue());
    }

    @Test
    @Order(2)
    void aMessageSentThroughOnePersisterReachesASyncLongPollOnTheSyncWorkerWithin100MsMedian() throws Exception {
        Account alice = register("alice");
        Account bob = register("bob");
        // a room persister1 writes: the path measured is persist, then Redis, then the sync worker's wake
        String room = rooms(alice, Map.of("persister1", 1), List.of(bob)).get(0);
        Reply initial = client.sync(hs.proxyUrl(), bob, null, 0, FILTER);
        require(initial, "initial sync");
        String since = initial.body().get("next_batch").asText();

        List<Long> fromSend = new ArrayList<>();
        List<Long> fromAck = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<Timed> poll = longPoll(bob, since);
            // let the long-poll reach the sync worker and park before the event exists
            Thread.sleep(25);
            long sendStart = System.nanoTime();
            Reply sent = client.sendText(url("persister1"), alice, room, "latency-" + i, "ping " + i);
            long ack = System.nanoTime();
            require(sent, "send " + i + " through persister1");
            String eventId = sent.body().get("event_id").asText();
            long deadline = sendStart + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Timed answer = poll.get(15, TimeUnit.SECONDS);
                require(answer.reply(), "long-poll " + i);
                since = answer.reply().body().get("next_batch").asText();
                if (SyncFollower.timelineIds(answer.reply(), room).contains(eventId)) {
                    fromSend.add(answer.atNanos() - sendStart);
                    fromAck.add(answer.atNanos() - ack);
                    break;
                }
                assertThat(System.nanoTime())
                        .as(() -> "message " + eventId + " not in /sync on the sync worker 10 s after it was sent; "
                                + logs())
                        .isLessThan(deadline);
                poll = longPoll(bob, since);
            }
        }
        double medianFromSend = Delays.medianMillis(fromSend);
        System.out.printf(
                "[workers] send through persister1 -> /sync long-poll on sync1, 100 messages: median %.1f ms from the"
                        + " send's start (p90 %.1f ms, max %.1f ms), median %.1f ms from its acknowledgement%n",
                medianFromSend,
                Delays.percentileMillis(fromSend, 0.9),
                Delays.percentileMillis(fromSend, 1.0),
                Delays.medianMillis(fromAck));
        assertThat(medianFromSend)
                .as("median ms from the send to the event in the long-poll")
                .isLessThan(TARGET_MILLIS);
    }

    @Test
    @Order(3)
    void twoPersistersTenRoomsEveryUsersSyncSeesEveryEventOnceAndInOrder() throws Exception {
        List<Account> senders = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            senders.add(register("sender"));
        }
        Account reader = register("reader");
        List<Account> members = new ArrayList<>(senders.subList(1, senders.size()));
        members.add(reader);
        List<String> rooms = rooms(senders.get(0), Map.of("persister1", 5, "persister2", 5), members);

        List<Account> everyone = new ArrayList<>(senders);
        everyone.add(reader);
        List<SyncFollower> followers = follow(everyone);
        SendLoad load = new SendLoad(client, hs.proxyUrl(), senders, rooms, "order", 20).start();
        assertThat(load.await(Duration.ofSeconds(60)))
                .as("the senders finished")
                .isTrue();
        load.close();
        List<Sent> acked = load.acked();
        assertThat(load.failures()).as(() -> "failed sends; " + logs()).isEmpty();

        List<String> violations = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (SyncFollower f : followers) {
            f.awaitAll(ids(acked), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (SyncFollower f : followers) {
            f.close();
            violations.addAll(f.violations(rooms, acked));
        }
        // the sync stream has one order: every member sees a room's events in the same one
        Set<String> ackedIds = ids(acked);
        for (String room : rooms) {
            List<String> first = followers.get(0).seenIn(room).stream()
                    .filter(ackedIds::contains)
                    .toList();
            for (SyncFollower f : followers.subList(1, followers.size())) {
                List<String> order =
                        f.seenIn(room).stream().filter(ackedIds::contains).toList();
                if (!order.equals(first)) {
                    violations.add(f.account().userId() + " got the events of " + room + " in another order than "
                            + followers.get(0).account().userId() + ": " + order + " vs " + first);
                }
            }
        }
        List<String> late =
                late(followers, acked, 500, acked.isEmpty() ? 0 : acked.get(0).startNanos());
        System.out.printf(
                "[workers] 2 persisters x %d rooms: %d events from %d senders, %d users' /sync on sync1 checked;"
                        + " %d deliveries more than 500 ms after the acknowledgement%s%n",
                rooms.size(),
                acked.size(),
                senders.size(),
                followers.size(),
                late.size(),
                late.isEmpty() ? "" : ":\n  " + String.join("\n  ", late));
        assertThat(violations)
                .as(() -> "what the users' /sync got wrong; " + logs())
                .isEmpty();
    }

    @Test
    @Order(4)
    void redisKilledAndRestartedUnderLoadTheSyncWorkerResumesAndDeliversEveryAcknowledgedEvent() throws Exception {
        List<Account> senders = List.of(register("rsender"), register("rsender"));
        Account reader = register("rreader");
        List<String> rooms =
                rooms(senders.get(0), Map.of("persister1", 2, "persister2", 2), List.of(senders.get(1), reader));
        List<SyncFollower> followers = follow(List.of(reader, senders.get(1)));

        SendLoad load = new SendLoad(client, hs.proxyUrl(), senders, rooms, "redis", 0).start();
        Thread.sleep(1000);
        long killed = System.nanoTime();
        hs.redis().kill();
        Thread.sleep(2000);
        long restartStart = System.nanoTime();
        hs.redis().restart();
        long restarted = System.nanoTime();
        Thread.sleep(2000);
        load.close();
        long stopped = System.nanoTime();

        List<Sent> acked = load.acked();
        long duringOutage = acked.stream()
                .filter(s -> s.ackNanos() > killed && s.ackNanos() < restarted)
                .count();
        List<String> violations = new ArrayList<>();
        Map<String, Long> caughtUp = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (SyncFollower f : followers) {
            boolean all = f.awaitAll(ids(acked), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            caughtUp.put(f.account().userId(), all ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped) : -1);
        }
        for (SyncFollower f : followers) {
            f.close();
            violations.addAll(f.violations(rooms, acked));
            f.problems().stream().filter(p -> !p.startsWith("sync of")).forEach(violations::add);
        }
        Map<String, Sent> byId = new HashMap<>();
        acked.forEach(a -> byId.put(a.eventId(), a));
        List<Long> afterRestart = new ArrayList<>();
        for (SyncFollower f : followers) {
            for (SyncFollower.Seen seen : f.seen()) {
                Sent sent = byId.get(seen.eventId());
                if (sent != null && sent.startNanos() > restarted) {
                    afterRestart.add(seen.atNanos() - sent.startNanos());
                }
            }
        }
        long before = acked.stream().filter(a -> a.ackNanos() < killed).count();
        List<String> late = late(followers, acked, 500, killed);
        System.out.printf(
                "[workers] Redis killed for %d ms under load (restarted in %d ms): %d events acknowledged, %d before"
                        + " the kill (1 s), %d while Redis was down, %d after; %d sends failed; every /sync complete"
                        + " %s ms after the load stopped; sync errors: %d; sent after the restart to /sync: median"
                        + " %.1f ms, max %.1f ms%n",
                TimeUnit.NANOSECONDS.toMillis(restartStart - killed),
                TimeUnit.NANOSECONDS.toMillis(restarted - restartStart),
                acked.size(),
                before,
                duringOutage,
                acked.size() - before - duringOutage,
                load.failures().size(),
                caughtUp,
                followers.stream().mapToInt(f -> f.problems().size()).sum(),
                afterRestart.isEmpty() ? -1 : Delays.medianMillis(afterRestart),
                afterRestart.isEmpty() ? -1 : Delays.percentileMillis(afterRestart, 1.0));
        System.out.printf(
                "[workers] Redis: %d deliveries more than 500 ms after the acknowledgement (times from the kill;"
                        + " restarted at +%d ms)%s%n",
                late.size(),
                TimeUnit.NANOSECONDS.toMillis(restarted - killed),
                late.isEmpty() ? "" : ":\n  " + String.join("\n  ", late));
        assertThat(acked).as("sends were acknowledged").isNotEmpty();
        assertThat(violations)
                .as(() -> "what the users' /sync got wrong after Redis restarted; " + logs())
                .isEmpty();
    }

    @Test
    @Order(5)
    void aPersisterKilledUnderLoadLosesNoAcknowledgedEventAndItsRoomsAcceptSendsAfterItsRestart() throws Exception {
        List<Account> senders = List.of(register("ksender"), register("ksender"), register("ksender"));
        Account reader = register("kreader");
        List<Account> members = new ArrayList<>(senders.subList(1, senders.size()));
        members.add(reader);
        List<String> rooms = rooms(senders.get(0), Map.of("persister1", 5, "persister2", 5), members);
        List<SyncFollower> followers = follow(List.of(reader));

        SendLoad load = new SendLoad(client, hs.proxyUrl(), senders, rooms, "kill", 0).start();
        Thread.sleep(1500);
        long killed = System.nanoTime();
        hs.kill("persister1");
        Thread.sleep(2000);
        long restartStart = System.nanoTime();
        hs.restart("persister1");
        long restarted = System.nanoTime();
        Thread.sleep(1000);
        load.close();

        List<Sent> acked = load.acked();
        List<Sent> beforeKill =
                acked.stream().filter(s -> s.ackNanos() < killed).toList();
        Set<String> stored = new HashSet<>();
        for (String room : rooms) {
            stored.addAll(history(url("main"), reader, room));
        }
        List<Sent> lost =
                acked.stream().filter(s -> !stored.contains(s.eventId())).toList();

        // every room takes a send again, through the proxy (which alternates between the persisters)
        Map<String, Integer> attempts = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String room : rooms) {
            int attempt = 0;
            Reply last;
            do {
                attempt++;
                last = client.sendText(
                        hs.proxyUrl(), senders.get(0), room, "after-restart-" + attempt, "after restart");
            } while (!last.ok() && System.nanoTime() < deadline && sleep(100));
            attempts.put(room, attempt);
            if (!last.ok()) {
                refused.add(room + ": " + last);
            }
        }
        SyncFollower follower = followers.get(0);
        boolean synced = follower.awaitAll(ids(acked), Duration.ofSeconds(15));
        follower.close();
        List<String> late = late(followers, acked, 500, killed);
        System.out.printf(
                "[workers] kill: %d deliveries more than 500 ms after the acknowledgement (times from the kill;"
                        + " restarted at +%d ms)%s%n",
                late.size(),
                TimeUnit.NANOSECONDS.toMillis(restarted - killed),
                late.isEmpty() ? "" : ":\n  " + String.join("\n  ", late));

        List<Sent> persister1Down = acked.stream()
                .filter(a -> a.ackNanos() > killed && a.ackNanos() < restartStart)
                .filter(a -> persisterOf(a.roomId()).equals("persister1"))
                .toList();
        long persister1Waited = acked.stream()
                .filter(a -> a.startNanos() < restartStart && a.ackNanos() > restartStart)
                .filter(a -> persisterOf(a.roomId()).equals("persister1"))
                .count();
        System.out.printf(
                "[workers] persister1's rooms: %d sends acknowledged while it was down (sent at %s ms from the"
                        + " kill), %d sent before its restart and acknowledged after%n",
                persister1Down.size(),
                persister1Down.stream()
                        .map(a -> TimeUnit.NANOSECONDS.toMillis(a.startNanos() - killed))
                        .toList(),
                persister1Waited);
        System.out.printf(
                "[workers] persister1 killed after %d acknowledged sends, down %d ms, restarted in %d ms: %d sends"
                        + " acknowledged in all (%d failed), %d lost; sends needed after the restart per room: %s;"
                        + " the reader's /sync got every acknowledged event: %s%n",
                beforeKill.size(),
                TimeUnit.NANOSECONDS.toMillis(restartStart - killed),
                TimeUnit.NANOSECONDS.toMillis(restarted - restartStart),
                acked.size(),
                load.failures().size(),
                lost.size(),
                attempts.values(),
                synced);
        assertThat(lost)
                .as(() -> "acknowledged events missing after the restart; " + logs())
                .isEmpty();
        assertThat(refused)
                .as(() -> "rooms refusing sends after the restart; " + logs())
                .isEmpty();
        assertThat(follower.missing(ids(acked)))
                .as(() -> "acknowledged events the reader's /sync never got; " + logs())
                .isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------

    /** A sync answer and when it arrived. */
    private record Timed(Reply reply, long atNanos) {}

    private CompletableFuture<Timed> longPoll(Account as, String since) {
        return client.syncAsync(hs.proxyUrl(), as, since, 10_000, FILTER)
                .thenApply(r -> new Timed(r, System.nanoTime()));
    }

    private Account register(String prefix) throws InterruptedException {
        return client.register(hs.proxyUrl(), prefix + users.incrementAndGet());
    }

    /**
     * Rooms created by {@code creator} through the proxy, as many of each persister as asked
     * (rooms are created until the documented hash has given each its share; the others are left
     * unused), joined by {@code members}.
     */
    private List<String> rooms(Account creator, Map<String, Integer> perPersister, List<Account> members)
            throws InterruptedException {
        Map<String, Integer> wanted = new HashMap<>(perPersister);
        List<String> rooms = new ArrayList<>();
        for (int created = 0; wanted.values().stream().anyMatch(n -> n > 0); created++) {
            assertThat(created).as("rooms created to get %s", perPersister).isLessThan(200);
            String room = client.createRoom(hs.proxyUrl(), creator);
            String owner = persisterOf(room);
            if (wanted.getOrDefault(owner, 0) > 0) {
                wanted.merge(owner, -1, Integer::sum);
                rooms.add(room);
            }
        }
        for (String room : rooms) {
            for (Account a : members) {
                client.join(hs.proxyUrl(), a, room);
            }
        }
        return rooms;
    }

    /**
     * The persister that writes a room's events, as docs/workers.md defines it: the first four
     * bytes of the SHA-256 of the room id, unsigned, modulo the number of persisters, indexes
     * {@code stream_writers.events}.
     */
    private String persisterOf(String roomId) {
        List<String> persisters = hs.names(WorkerRole.EVENT_PERSISTER);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(roomId.getBytes(StandardCharsets.UTF_8));
            long h = ((hash[0] & 0xffL) << 24)
                    | ((hash[1] & 0xffL) << 16)
                    | ((hash[2] & 0xffL) << 8)
                    | (hash[3] & 0xffL);
            return persisters.get((int) (h % persisters.size()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<SyncFollower> follow(List<Account> accounts) throws InterruptedException {
        List<SyncFollower> followers = new ArrayList<>();
        for (Account a : accounts) {
            followers.add(new SyncFollower(client, hs.proxyUrl(), a, FILTER).start());
        }
        return followers;
    }

    /** The ids of every event of a room, paginating back from the newest. */
    private Set<String> history(String base, Account as, String room) throws InterruptedException {
        Set<String> ids = new HashSet<>();
        String from = null;
        for (int page = 0; page < 100; page++) {
            Reply messages = client.messages(base, as, room, from, 1000);
            require(messages, "messages of " + room);
            JsonNode chunk = messages.body().path("chunk");
            chunk.forEach(event -> ids.add(event.path("event_id").asText()));
            if (chunk.isEmpty() || !messages.body().hasNonNull("end")) {
                return ids;
            }
            from = messages.body().get("end").asText();
        }
        throw new AssertionError("more than 100 pages of history in " + room);
    }

    /**
     * Events a user's /sync received more than {@code slowMillis} after their send was
     * acknowledged, as lines naming the user, room, its persister and the times relative to
     * {@code origin}: a long-poll that was not woken shows up as a delay of about its timeout.
     */
    private List<String> late(List<SyncFollower> followers, List<Sent> acked, long slowMillis, long origin) {
        Map<String, Sent> byId = new HashMap<>();
        acked.forEach(a -> byId.put(a.eventId(), a));
        List<String> lines = new ArrayList<>();
        for (SyncFollower f : followers) {
            Set<String> first = new HashSet<>();
            for (SyncFollower.Seen seen : f.seen()) {
                Sent sent = byId.get(seen.eventId());
                if (sent == null || !first.add(seen.eventId())) {
                    continue;
                }
                long delay = TimeUnit.NANOSECONDS.toMillis(seen.atNanos() - sent.ackNanos());
                if (delay > slowMillis) {
                    lines.add(String.format(
                            "%s got %s (room %s of %s, sent by %s, acknowledged at %+d ms) %d ms after its"
                                    + " acknowledgement, in sync answer %d",
                            f.account().userId(),
                            sent.eventId(),
                            sent.roomId(),
                            persisterOf(sent.roomId()),
                            sent.sender(),
                            TimeUnit.NANOSECONDS.toMillis(sent.ackNanos() - origin),
                            delay,
                            seen.batch()));
                }
            }
        }
        return lines;
    }

    private static Set<String> ids(List<Sent> sent) {
        Set<String> ids = new HashSet<>();
        sent.forEach(s -> ids.add(s.eventId()));
        return ids;
    }

    private String displayName(String process, Account of) throws InterruptedException {
        return client.getDisplayName(url(process), of)
                .body()
                .path("displayname")
                .asText(null);
    }

    private String topic(String process, Account as, String room) throws InterruptedException {
        return client.getTopic(url(process), as, room).body().path("topic").asText(null);
    }

    private String url(String process) {
        return hs.processUrl(process);
    }

    /** The end of every process's log, for failure messages. */
    private String logs() {
        StringBuilder out = new StringBuilder("the processes' logs (")
                .append(hs.directory())
                .append(") end with:");
        for (String name : hs.names()) {
            out.append("\n==== ").append(name).append('\n').append(hs.logTail(name, 25));
        }
        return out.toString();
    }

    private static void require(Reply reply, String what) {
        if (!reply.ok()) {
            throw new AssertionError(what + " failed: " + reply);
        }
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
