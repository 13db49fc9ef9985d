package dev.myelin.federation.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.federation.backoff.DestinationBackoff;
import dev.myelin.federation.backoff.FederationRetryConfig;
import dev.myelin.federation.backoff.RetryJitter;
import dev.myelin.federation.backoff.RetryTimingsRepository;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationUnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction queue on a {@link ManualClock}, with a transport that answers what the test
 * says: batching, one transaction in flight, retries with the same id after the backoff, delivery
 * after a restart, catch-up, and a refused transaction dropped.
 */
class TransactionSenderTest {
    private static final ServerName ORIGIN = ServerName.parse("origin.test");
    private static final ServerName REMOTE = ServerName.parse("remote.test");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T00:00:00Z"));
    private final RetryTimingsRepository timings = RetryTimingsRepository.inMemory();
    private final OutboxRepository outbox = OutboxRepository.inMemory();
    private final FakeRemote remote = new FakeRemote();
    private final List<TransactionSender> senders = new ArrayList<>();

    /** A sent transaction. */
    record Sent(String txnId, ObjectNode body) {
        List<String> pduIds() {
            List<String> ids = new ArrayList<>();
            body.path("pdus").forEach(p -> ids.add(p.path("id").asText()));
            return ids;
        }

        List<String> eduIds() {
            List<String> ids = new ArrayList<>();
            body.path("edus").forEach(p -> ids.add(p.path("id").asText()));
            return ids;
        }
    }

    /** Answers with the queued statuses (200 once they run out), -1 meaning unreachable, -2 not whitelisted. */
    static final class FakeRemote implements TransactionTransport {
        final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();

        @Override
        public int send(ServerName destination, String txnId, ObjectNode transaction) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                sent.add(new Sent(txnId, transaction));
                Integer answer = answers.poll();
                if (answer != null && answer == -1) {
                    throw new FederationUnreachableException(destination, "connection refused", null);
                }
                if (answer != null && answer == -2) {
                    throw new FederationDeniedException(destination);
                }
                return answer == null ? 200 : answer;
            } finally {
                inFlight.decrementAndGet();
            }
        }

        Sent next() throws InterruptedException {
            Sent next = sent.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(next).as("a transaction within %s", WAIT).isNotNull();
            return next;
        }
    }

    private TransactionSender sender() {
        DestinationBackoff backoff =
                new DestinationBackoff(FederationRetryConfig.DEFAULT, clock, timings, RetryJitter.NONE);
        TransactionSender sender = new TransactionSender(ORIGIN, outbox, backoff, remote, clock);
        senders.add(sender);
        return sender;
    }

    @AfterEach
    void close() {
        senders.forEach(TransactionSender::close);
    }

    private static ObjectNode unit(String id) {
        return JsonNodeFactory.instance.objectNode().put("id", id);
    }

    /** Waits until the sender has nothing left for REMOTE (real time, bounded). */
    private static void awaitEmpty(TransactionSender sender) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sender.pending(REMOTE) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sender.pending(REMOTE)).isZero();
    }

    /** proves: PDUs and EDUs go out in order, at most 50 PDUs and 100 EDUs a transaction, one at a time. */
    @Test
    void batchesInOrderWithOneTransactionInFlight() throws Exception {
        TransactionSender sender = sender();
        for (int i = 0; i < 120; i++) {
            sender.sendPdu(REMOTE, "!room:origin.test", unit("p" + i));
        }
        for (int i = 0; i < 150; i++) {
            sender.sendEdu(REMOTE, unit("e" + i));
        }
        awaitEmpty(sender);

        List<String> pdus = new ArrayList<>();
        List<String> edus = new ArrayList<>();
        List<String> txnIds = new ArrayList<>();
        for (Sent sent = remote.sent.poll(); sent != null; sent = remote.sent.poll()) {
            assertThat(sent.pduIds()).hasSizeLessThanOrEqualTo(50);
            assertThat(sent.eduIds()).hasSizeLessThanOrEqualTo(100);
            assertThat(sent.body().path("origin").asText()).isEqualTo("origin.test");
            assertThat(sent.body().path("origin_server_ts").isIntegralNumber()).isTrue();
            pdus.addAll(sent.pduIds());
            edus.addAll(sent.eduIds());
            txnIds.add(sent.txnId());
        }
        assertThat(pdus).containsExactlyElementsOf(ids("p", 120));
        assertThat(edus).containsExactlyElementsOf(ids("e", 150));
        assertThat(txnIds).doesNotHaveDuplicates();
        assertThat(remote.mostInFlight.get()).isEqualTo(1);
        assertThat(outbox.entries(REMOTE)).isEmpty();
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    /** proves: a failed transaction is sent again with the same id and content once the backoff allows, before what came after it. */
    @Test
    void aFailedTransactionIsRetriedWithTheSameIdAfterTheBackoff() throws Exception {
        remote.answers.add(-1);
        remote.answers.add(503);
        TransactionSender sender = sender();
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        Sent first = remote.next();
        clock.awaitSleepers(1, WAIT);
        sender.sendEdu(REMOTE, unit("e1"));

        clock.advance(Duration.ofMinutes(10)); // the first interval
        Sent second = remote.next();
        assertThat(second).isEqualTo(first);

        clock.awaitSleepers(1, WAIT);
        clock.advance(Duration.ofMinutes(20)); // doubled
        Sent third = remote.next();
        assertThat(third).isEqualTo(first);
        Sent fourth = remote.next();
        assertThat(fourth.txnId()).isNotEqualTo(first.txnId());
        assertThat(fourth.eduIds()).containsExactly("e1");
        awaitEmpty(sender);
    }

    /** proves: a destination seen up (it signed a request to this server) is sent to at once, not when its interval ends. */
    @Test
    void aDestinationSeenUpIsSentToWithoutWaitingForItsInterval() throws Exception {
        remote.answers.add(-1);
        TransactionSender sender = sender();
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        Sent first = remote.next();
        clock.awaitSleepers(1, WAIT);

        sender.destinationSeenUp(REMOTE);

        assertThat(remote.next()).as("sent again with no time passed").isEqualTo(first);
        awaitEmpty(sender);
        sender.destinationSeenUp(REMOTE); // not in backoff: nothing to do
        assertThat(remote.sent).isEmpty();
    }

    /** proves: what was not delivered before a restart is delivered by the next sender over the same outbox. */
    @Test
    void undeliveredUnitsAreSentAfterARestart() throws Exception {
        remote.answers.add(-1);
        TransactionSender before = sender();
        before.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        before.sendEdu(REMOTE, unit("e1"));
        remote.next();
        clock.awaitSleepers(1, WAIT);
        before.close();
        assertThat(outbox.entries(REMOTE)).hasSize(2);

        clock.advance(Duration.ofMinutes(10));
        TransactionSender after = sender();
        after.start();
        Sent resent = remote.next();
        assertThat(resent.pduIds()).containsExactly("p1");
        assertThat(resent.eduIds()).containsExactly("e1");
        awaitEmpty(after);
        assertThat(outbox.entries(REMOTE)).isEmpty();
    }

    /** proves: while a destination is failing, only the latest PDU of each room waits behind the failed transaction. */
    @Test
    void catchUpKeepsTheLatestPduOfEachRoom() throws Exception {
        remote.answers.add(-1);
        TransactionSender sender = sender();
        sender.sendPdu(REMOTE, "!a:origin.test", unit("a0"));
        remote.next();
        clock.awaitSleepers(1, WAIT);
        for (int i = 1; i <= 3; i++) {
            sender.sendPdu(REMOTE, "!a:origin.test", unit("a" + i));
            sender.sendPdu(REMOTE, "!b:origin.test", unit("b" + i));
        }
        sender.sendEdu(REMOTE, unit("e1"));
        remote.answers.add(-1);

        clock.advance(Duration.ofMinutes(10));
        assertThat(remote.next().pduIds()).containsExactly("a0"); // fails again: the queue is compacted
        clock.awaitSleepers(1, WAIT);
        clock.advance(Duration.ofMinutes(20));
        assertThat(remote.next().pduIds()).containsExactly("a0");
        Sent rest = remote.next();
        assertThat(rest.pduIds()).containsExactly("a3", "b3");
        assertThat(rest.eduIds()).containsExactly("e1");
        awaitEmpty(sender);
    }

    /** proves: a transaction the destination refuses for good (400) is dropped and the queue moves on. */
    @Test
    void aRefusedTransactionIsDropped() throws Exception {
        remote.answers.add(400);
        TransactionSender sender = sender();
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        assertThat(remote.next().pduIds()).containsExactly("p1");
        awaitEmpty(sender);
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p2"));
        assertThat(remote.next().pduIds()).containsExactly("p2");
        awaitEmpty(sender);
    }

    /** proves: a transaction to a destination the whitelist no longer allows is dropped at once, with no backoff, and the queue moves on. */
    @Test
    void aTransactionToADeniedDestinationIsDroppedWithoutBackoff() throws Exception {
        remote.answers.add(-2);
        TransactionSender sender = sender();
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        Sent denied = remote.next();
        assertThat(denied.pduIds()).containsExactly("p1");
        awaitEmpty(sender);
        assertThat(outbox.entries(REMOTE)).as("nothing is kept to send again").isEmpty();
        assertThat(timings.get(REMOTE).filter(t -> t.failing()))
                .as("a denied destination is not a failing one")
                .isEmpty();

        // without a backoff to wait for, what comes next goes out at once, and p1 never again
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p2"));
        Sent next = remote.next();
        assertThat(next.txnId()).isNotEqualTo(denied.txnId());
        assertThat(next.pduIds()).containsExactly("p2");
        awaitEmpty(sender);
        assertThat(remote.sent).isEmpty();
    }

    /** proves: a transaction denied to one destination after a restart is dropped from the stored outbox. */
    @Test
    void aTransactionQueuedBeforeTheWhitelistChangedIsDroppedAfterARestart() throws Exception {
        remote.answers.add(-1);
        TransactionSender before = sender();
        before.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        remote.next();
        clock.awaitSleepers(1, WAIT);
        before.close();
        assertThat(outbox.entries(REMOTE)).hasSize(1);

        remote.answers.add(-2);
        clock.advance(Duration.ofMinutes(10));
        TransactionSender after = sender();
        after.start();
        assertThat(remote.next().pduIds()).containsExactly("p1");
        awaitEmpty(after);
        assertThat(outbox.entries(REMOTE)).isEmpty();
    }

    /** proves: the body is a transaction as the spec shapes it. */
    @Test
    void theBodyIsASpecTransaction() throws Exception {
        TransactionSender sender = sender();
        sender.sendPdu(REMOTE, "!a:origin.test", unit("p1"));
        JsonNode body = remote.next().body();
        assertThat(body.path("pdus").isArray()).isTrue();
        assertThat(body.has("edus")).isFalse();
        assertThat(body.path("origin_server_ts").asLong()).isEqualTo(clock.nowMillis());
        awaitEmpty(sender);
    }
}
