package dev.myelin.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.time.Clock;
import dev.myelin.core.time.SystemClock;
import dev.myelin.replication.ReplicationCommand.Invalidate;
import dev.myelin.replication.ReplicationCommand.Position;
import dev.myelin.replication.ReplicationCommand.Row;
import dev.myelin.replication.SequenceTracker.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class RedisReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Short enough that a hung server is noticed within a test's patience. */
    private static final Timeouts FAST =
            new Timeouts(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(200));

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void needsRedis() {
        RedisServer.assumeInstalled();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private RedisServer server(String... args) throws Exception {
        RedisServer server = RedisServer.started(dir, args);
        toClose.add(server);
        return server;
    }

    private RedisReplication link(int port, String instance, Clock clock, Recorder recorder) {
        return link(settings(port), instance, clock, recorder, Timeouts.DEFAULT, RedisReplication.QUEUE_CAPACITY);
    }

    private RedisReplication link(
            RedisSettings settings, String instance, Clock clock, Recorder recorder, Timeouts timeouts, int capacity) {
        RedisReplication link = new RedisReplication(settings, instance, clock, recorder, timeouts, capacity);
        toClose.add(link);
        link.start();
        return link;
    }

    private static RedisSettings settings(int port) {
        return new RedisSettings("127.0.0.1", port, Optional.empty(), 0, "myelin-test");
    }

    private static Position position(long token) {
        return new Position("events", token, List.of(new Row(token, "ROOM_EVENTS", "!r:hs")));
    }

    @Test
    void twoInstancesExchangeMessagesOnTheSubscriberThreadAndNeverReceiveTheirOwn() throws Exception {
        RedisServer server = server();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder formerA = new Recorder();
        RedisReplication linkA = link(server.port(), "a", SystemClock.INSTANCE, a);
        RedisReplication linkB = link(server.port(), "b", SystemClock.INSTANCE, b);
        // the same name in another run (a restarted "a" whose old process lingers) does hear "a"
        RedisReplication linkFormerA = link(server.port(), "a", SystemClock.INSTANCE, formerA);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        assertThat(linkFormerA.awaitConnected(WAIT)).isTrue();
        assertThat(linkA.connected()).isTrue();

        // A's message is accepted before B's is sent, so Redis would deliver it to A first
        assertThat(linkA.publishAndWait(position(17), WAIT)).isTrue();
        assertThat(linkB.publishAndWait(new Invalidate("profiles", List.of("@u:hs")), WAIT))
                .isTrue();

        assertThat(a.next())
                .isEqualTo(new ReplicationMessage(
                        "b", linkB.incarnation(), 1, new Invalidate("profiles", List.of("@u:hs"))));
        assertThat(b.next()).isEqualTo(new ReplicationMessage("a", linkA.incarnation(), 1, position(17)));
        assertThat(formerA.next()).isEqualTo(new ReplicationMessage("a", linkA.incarnation(), 1, position(17)));
        assertThat(formerA.next().instance()).isEqualTo("b");
        assertThat(linkA.incarnation()).isNotEqualTo(linkFormerA.incarnation());
        assertThat(a.messages).isEmpty();
        assertThat(b.messages).isEmpty();
        assertThat(a.connects).hasValue(1);
        assertThat(a.threads).containsOnly("replication-sub");
        assertThat(b.threads).containsOnly("replication-sub");
    }

    @Test
    void tenThousandMessagesArriveInOrderWithContiguousSequences() throws Exception {
        RedisServer server = server();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        RedisReplication linkA = link(server.port(), "a", SystemClock.INSTANCE, a);
        RedisReplication linkB = link(server.port(), "b", SystemClock.INSTANCE, b);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();

        for (long i = 1; i <= 10_000; i++) {
            assertThat(linkA.publish(position(i))).isEqualTo(i);
        }

        SequenceTracker tracker = new SequenceTracker();
        for (long i = 1; i <= 10_000; i++) {
            ReplicationMessage m = b.next();
            assertThat(m.sequence()).isEqualTo(i);
            assertThat(m.command()).isEqualTo(position(i));
            assertThat(tracker.observe(m)).isEqualTo(Outcome.IN_ORDER);
        }
    }

    @Test
    void commandsPublishedFromManyThreadsGoOutInTheOrderOfTheirNumbers() throws Exception {
        RedisServer server = server();
        Recorder b = new Recorder();
        RedisReplication linkA = link(server.port(), "a", SystemClock.INSTANCE, new Recorder());
        RedisReplication linkB = link(server.port(), "b", SystemClock.INSTANCE, b);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    long sequence = linkA.publish(new ReplicationCommand.Replicate());
                    assertThat(sequence).isBetween(1L, 4000L);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        for (long i = 1; i <= 4000; i++) {
            assertThat(b.next().sequence()).isEqualTo(i);
        }
    }

    @Test
    void authenticatesAndSelectsTheDatabaseOnEveryConnection() throws Exception {
        RedisServer server = server("--requirepass", "s3cret");
        RedisSettings settings = new RedisSettings("127.0.0.1", server.port(), Optional.of("s3cret"), 3, "myelin-test");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        RedisReplication linkA = link(settings, "a", SystemClock.INSTANCE, a, Timeouts.DEFAULT, 10);
        RedisReplication linkB = link(settings, "b", SystemClock.INSTANCE, b, Timeouts.DEFAULT, 10);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();

        assertThat(linkA.publishAndWait(position(1), WAIT)).isTrue();
        assertThat(b.next().command()).isEqualTo(position(1));

        try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
            admin.auth("s3cret");
            List<String> clients = admin.clientList()
                    .lines()
                    .filter(line -> line.contains(" name=myelin-"))
                    .toList();
            assertThat(clients).hasSize(4).allSatisfy(line -> assertThat(line).contains(" db=3 "));
        }

        Recorder intruder = new Recorder();
        RedisSettings wrong = new RedisSettings("127.0.0.1", server.port(), Optional.of("guess"), 3, "myelin-test");
        RedisReplication linkIntruder = link(wrong, "c", SystemClock.INSTANCE, intruder, Timeouts.DEFAULT, 10);
        assertThat(linkIntruder.awaitConnected(Duration.ofMillis(500))).isFalse();
        assertThat(intruder.connects).hasValue(0);
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void afterRedisIsKilledAndRestartedBothSidesReconnectAndWhatWasQueuedArrivesInOrder() throws Exception {
        RedisServer server = server();
        GatedClock clockA = new GatedClock(true);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        RedisReplication linkA = link(server.port(), "a", clockA, a);
        RedisReplication linkB = link(server.port(), "b", SystemClock.INSTANCE, b);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        assertThat(linkA.publishAndWait(position(1), WAIT)).isTrue();
        assertThat(b.next().sequence()).isEqualTo(1);

        // A may only reconnect once B listens again: pub/sub keeps nothing for absent subscribers
        clockA.close();
        server.kill();
        awaitTrue(() -> !linkA.connected() && !linkB.connected());
        for (long token = 2; token <= 6; token++) {
            linkA.publish(position(token));
        }
        awaitTrue(() -> clockA.waiting.contains("replication-pub"));
        assertThat(linkA.publishAndWait(position(7), Duration.ofMillis(300))).isFalse();

        server.start();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        assertThat(b.connects).hasValue(2);
        clockA.open();
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(a.connects).hasValue(2);
        assertThat(linkA.publishAndWait(position(8), WAIT)).isTrue();

        SequenceTracker tracker = new SequenceTracker();
        assertThat(tracker.observe(new ReplicationMessage("a", linkA.incarnation(), 1, position(1))))
                .isEqualTo(Outcome.IN_ORDER);
        for (long token = 2; token <= 8; token++) {
            ReplicationMessage m = b.next();
            assertThat(m.command()).isEqualTo(position(token));
            assertThat(tracker.observe(m)).isEqualTo(Outcome.IN_ORDER);
        }
        assertThat(linkB.publishAndWait(position(100), WAIT)).isTrue();
        assertThat(a.next().command()).isEqualTo(position(100));
    }

    @Test
    void aRefusedPublishStaysQueuedAndGoesOutOnceRedisAcceptsIt() throws Exception {
        RedisServer server = server();
        Recorder b = new Recorder();
        RedisReplication linkA = link(server.port(), "a", SystemClock.INSTANCE, new Recorder());
        RedisReplication linkB = link(server.port(), "b", SystemClock.INSTANCE, b);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
            admin.aclSetUser("default", "-publish");

            assertThat(linkA.publishAndWait(position(1), Duration.ofMillis(300)))
                    .isFalse();
            linkA.publish(position(2));
            admin.aclSetUser("default", "+publish");
        }

        assertThat(linkA.publishAndWait(position(3), WAIT)).isTrue();
        assertThat(List.of(b.next(), b.next(), b.next()))
                .extracting(ReplicationMessage::sequence)
                .containsExactly(1L, 2L, 3L);
        assertThat(b.messages).isEmpty();
    }

    @Test
    void anIdleSubscriptionIsKeptAliveByThePing() throws Exception {
        RedisServer server = server();
        Recorder a = new Recorder();
        RedisReplication linkA = link(settings(server.port()), "a", SystemClock.INSTANCE, a, FAST, 100);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();

        Thread.sleep(FAST.read().multipliedBy(2)); // silent that long without the PINGs, it would be dropped

        assertThat(linkA.connected()).isTrue();
        assertThat(a.connects).hasValue(1);
    }

    @Test
    void aHungServerIsNoticedByThePingAndTheSubscriptionComesBack() throws Exception {
        RedisServer server = server();
        Recorder a = new Recorder();
        RedisReplication linkA = link(settings(server.port()), "a", SystemClock.INSTANCE, a, FAST, 100);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();

        server.suspend();
        awaitTrue(() -> !linkA.connected());
        server.resume();

        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(a.connects).hasValue(2);
    }

    @Test
    void aPublisherBlockedWritingToAHungServerIsCutLooseAndSendsEverythingAfterwards() throws Exception {
        // the reader gets 8 MB at once: more than Redis lets a subscriber owe by default
        RedisServer server = server("--client-output-buffer-limit", "pubsub 0 0 0");
        GatedClock clockA = new GatedClock(true);
        RedisReplication linkA = link(settings(server.port()), "a", clockA, new Recorder(), FAST, 1000);
        Recorder b = new Recorder();
        RedisReplication linkB = link(settings(server.port()), "b", SystemClock.INSTANCE, b, FAST, 1000);
        assertThat(linkA.awaitConnected(WAIT)).isTrue();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();

        clockA.close();
        server.suspend();
        // more than the socket buffers take while the server does not read: the publisher blocks in a
        // write, which has no timeout
        linkA.publish(new Invalidate("big", List.of("x".repeat(8_000_000), "1")));
        for (int i = 2; i <= 5; i++) {
            linkA.publish(new Invalidate("big", List.of("x", Integer.toString(i))));
        }
        awaitTrue(() -> clockA.waiting.contains("replication-pub"));
        server.resume();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        clockA.open();

        SequenceTracker tracker = new SequenceTracker();
        long expected = 1;
        while (expected <= 5) {
            ReplicationMessage m = b.next();
            Outcome outcome = tracker.observe(m);
            if (outcome == Outcome.DUPLICATE) {
                continue; // what Redis took before the cut may go out again
            }
            assertThat(m.sequence()).isEqualTo(expected);
            assertThat(outcome).isEqualTo(Outcome.IN_ORDER);
            assertThat(((Invalidate) m.command()).keys().get(1)).isEqualTo(Long.toString(expected));
            expected++;
        }
    }

    @Test
    void closeReturnsPromptlyWhenRedisIsAwayOrHung() throws Exception {
        RedisServer nothing = RedisServer.onFreePort(dir);
        RedisReplication unreachable =
                link(settings(nothing.port()), "a", SystemClock.INSTANCE, new Recorder(), Timeouts.DEFAULT, 10);
        unreachable.publish(position(1));
        Thread.sleep(300);
        assertClosesPromptly(unreachable);

        RedisServer server = server();
        RedisReplication hung =
                link(settings(server.port()), "b", SystemClock.INSTANCE, new Recorder(), Timeouts.DEFAULT, 10);
        assertThat(hung.awaitConnected(WAIT)).isTrue();
        server.suspend();
        hung.publish(position(1)); // the publisher now waits for a reply that does not come
        Thread.sleep(300);
        assertClosesPromptly(hung);
        assertThat(hung.connected()).isFalse();
        assertThat(hung.awaitConnected(Duration.ofMillis(100))).isFalse();
    }

    @Test
    void aListenerMayCloseItsOwnLinkAndCommandsPublishedAfterCloseAreDiscarded() throws Exception {
        RedisServer server = server();
        CompletableFuture<RedisReplication> self = new CompletableFuture<>();
        Recorder b = new Recorder();
        RedisReplication.Listener closer = new RedisReplication.Listener() {
            @Override
            public void onConnected() {}

            @Override
            public void onMessage(ReplicationMessage message) {
                self.join().close();
                b.onMessage(message);
            }
        };
        RedisReplication linkA = link(server.port(), "a", SystemClock.INSTANCE, new Recorder());
        RedisReplication linkB = new RedisReplication(settings(server.port()), "b", SystemClock.INSTANCE, closer);
        toClose.add(linkB);
        self.complete(linkB);
        linkB.start();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        assertThat(linkA.awaitConnected(WAIT)).isTrue();

        linkA.publish(position(1));

        assertThat(b.next().sequence()).isEqualTo(1);
        awaitTrue(() -> !linkB.connected());
        assertThat(linkB.publish(position(2))).isEqualTo(1);
        assertThat(linkB.publishAndWait(position(3), WAIT)).isFalse();
        assertThatThrownBy(linkB::start).isInstanceOf(IllegalStateException.class);
    }

    private static void assertClosesPromptly(RedisReplication link) {
        long start = System.nanoTime();
        link.close();
        link.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .doesNotContain("replication-sub", "replication-pub");
    }

    @Test
    void reconnectionWaitsDoubleFrom100MillisecondsTo2SecondsThroughTheClock() throws Exception {
        RedisServer nothing = RedisServer.onFreePort(dir);
        GatedClock clock = new GatedClock(false);
        link(settings(nothing.port()), "a", clock, new Recorder(), Timeouts.DEFAULT, 10);

        awaitTrue(() -> clock.publisherSleeps.size() >= 7);

        assertThat(List.copyOf(clock.publisherSleeps).subList(0, 7))
                .extracting(Duration::toMillis)
                .containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    }

    @Test
    void aFullQueueDropsTheOldestAndTheReaderSeesTheGap() throws Exception {
        RedisServer server = RedisServer.onFreePort(dir);
        toClose.add(server);
        GatedClock clockA = new GatedClock(true);
        clockA.close();
        RedisReplication linkA = link(settings(server.port()), "a", clockA, new Recorder(), Timeouts.DEFAULT, 5);
        awaitTrue(() -> clockA.waiting.contains("replication-pub"));
        for (long token = 1; token <= 8; token++) {
            linkA.publish(position(token));
        }

        server.start();
        Recorder b = new Recorder();
        RedisReplication linkB = link(server.port(), "b", SystemClock.INSTANCE, b);
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        clockA.open();

        SequenceTracker tracker = new SequenceTracker();
        ReplicationMessage first = b.next();
        assertThat(first.sequence()).isEqualTo(4);
        assertThat(tracker.observe(first)).isEqualTo(Outcome.GAP);
        for (long sequence = 5; sequence <= 8; sequence++) {
            ReplicationMessage m = b.next();
            assertThat(m.sequence()).isEqualTo(sequence);
            assertThat(tracker.observe(m)).isEqualTo(Outcome.IN_ORDER);
        }
    }

    @Test
    void aListenerThatThrowsDoesNotEndTheSubscription() throws Exception {
        RedisServer server = server();
        Recorder b = new Recorder();
        RedisReplication.Listener failing = new RedisReplication.Listener() {
            @Override
            public void onConnected() {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onMessage(ReplicationMessage message) {
                if (message.sequence() == 1) {
                    throw new IllegalStateException("boom");
                }
                b.onMessage(message);
            }
        };
        RedisReplication linkA = link(server.port(), "a", SystemClock.INSTANCE, new Recorder());
        RedisReplication linkB = new RedisReplication(settings(server.port()), "b", SystemClock.INSTANCE, failing);
        toClose.add(linkB);
        linkB.start();
        assertThat(linkB.awaitConnected(WAIT)).isTrue();
        assertThat(linkA.awaitConnected(WAIT)).isTrue();

        linkA.publish(position(1));
        linkA.publish(position(2));

        assertThat(b.next().sequence()).isEqualTo(2);
        assertThat(linkB.connected()).isTrue();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(10);
        }
    }
}
