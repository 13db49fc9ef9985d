package dev.myelin.testing.appservice;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.FakeClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The registration builder and the in-process receiver on their own, sent the requests a
 * homeserver sends ({@code TestHomeserverAppServiceTest} has a homeserver send them).
 */
class TestAppServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AppServiceRegistration registration = AppServiceRegistration.builder("irc")
            .senderLocalpart("ircbot")
            .hsToken("hs-secret")
            .asToken("as-secret")
            .exclusiveUsers("@irc_.*:test\\.local")
            .aliases("#irc_.*:test\\.local")
            .exclusiveRooms("!bridged.*")
            .protocols("irc")
            .build();
    private final TestAppService bridge = TestAppService.of(registration).answerUserQuery(registration::claimsUser);

    @Test
    void buildsARegistrationAndWritesItsYaml() {
        assertThat(registration.senderUserId("test.local")).isEqualTo("@ircbot:test.local");
        assertThat(registration.url()).isEqualTo(URI.create("http://irc.appservice.test"));
        assertThat(registration.claimsUser("@irc_alice:test.local")).isTrue();
        assertThat(registration.claimsUser("@alice:test.local")).isFalse();
        assertThat(registration.claimsAlias("#irc_libera:test.local")).isTrue();
        assertThat(registration.claimsRoom("!bridged123:test.local")).isTrue();
        assertThat(registration.users())
                .containsExactly(new AppServiceRegistration.Namespace("@irc_.*:test\\.local", true));
        assertThat(registration.aliases().getFirst().exclusive()).isFalse();

        assertThat(registration.toYaml()).isEqualTo("""
                id: 'irc'
                url: 'http://irc.appservice.test'
                as_token: 'as-secret'
                hs_token: 'hs-secret'
                sender_localpart: 'ircbot'
                rate_limited: false
                receive_ephemeral: false
                namespaces:
                  users:
                    - exclusive: true
                      regex: '@irc_.*:test\\.local'
                  aliases:
                    - exclusive: false
                      regex: '#irc_.*:test\\.local'
                  rooms:
                    - exclusive: true
                      regex: '!bridged.*'
                protocols:
                  - 'irc'
                """);
    }

    @Test
    void theBuilderRejectsWhatNoHomeserverWouldLoad() {
        assertThatThrownBy(() -> AppServiceRegistration.builder("x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sender_localpart");
        assertThatThrownBy(() -> AppServiceRegistration.builder("x")
                        .senderLocalpart("bot")
                        .exclusiveUsers("@(unclosed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> AppServiceRegistration.builder("x")
                        .senderLocalpart("bot")
                        .asToken("t")
                        .hsToken("t")
                        .build())
                .hasMessageContaining("must differ");
        AppServiceRegistration generated =
                AppServiceRegistration.builder("x").senderLocalpart("bot").build();
        assertThat(generated.asToken()).startsWith("as_").hasSizeGreaterThan(20).isNotEqualTo(generated.hsToken());
    }

    @Test
    void recordsEachTransactionOnceAndHandsThemOutInOrder() {
        assertThat(put("1", """
                {"events": [{"type": "m.room.message", "sender": "@alice:test.local", "room_id": "!r:test.local",
                             "event_id": "$a", "content": {"msgtype": "m.text", "body": "hello IRC"}}]}
                """, "hs-secret").status()).isEqualTo(200);
        // a retried transaction is acknowledged but not delivered twice
        assertThat(put("1", "{\"events\": []}", "hs-secret").status()).isEqualTo(200);
        put("2", """
                {"events": [{"type": "m.room.member", "sender": "@irc_bob:test.local", "state_key": "@irc_bob:test.local",
                             "room_id": "!r:test.local", "event_id": "$b", "content": {"membership": "join"}}],
                 "ephemeral": [{"type": "m.typing", "room_id": "!r:test.local", "content": {"user_ids": []}}]}
                """, "hs-secret");

        AppServiceTransaction first = bridge.awaitTransaction(WAIT);
        assertThat(first.txnId()).isEqualTo("1");
        assertThat(first.events()).singleElement().satisfies(e -> assertThat(e).isTextMessage("hello IRC"));
        AppServiceTransaction second = bridge.awaitTransaction(WAIT);
        assertThat(second.ephemeral()).extracting(ClientEvent::type).containsExactly("m.typing");
        assertThat(bridge.events()).extracting(e -> e.eventId().orElseThrow()).containsExactly("$a", "$b");
        assertThat(bridge.awaitEvent(e -> e.membership().isPresent(), WAIT))
                .isMembership("@irc_bob:test.local", "join");
        assertThatThrownBy(() -> bridge.awaitTransaction(Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 received before");
    }

    @Test
    void awaitTransactionWaitsForOneSentFromAnotherThread() throws Exception {
        Thread sender = Thread.ofVirtual().start(() -> put("later", "{\"events\": []}", "hs-secret"));
        assertThat(bridge.awaitTransaction(WAIT).txnId()).isEqualTo("later");
        sender.join();
    }

    @Test
    void refusesTheWrongTokenAndBadBodies() {
        assertThat(put("1", "{\"events\": []}", "as-secret").status()).isEqualTo(403);
        assertThat(send(new OutboundRequest(
                                "PUT",
                                uri("/_matrix/app/v1/transactions/1"),
                                Map.of(),
                                Optional.of(new OutboundRequest.Body(
                                        "application/json", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8)))))
                        .status())
                .isEqualTo(401);
        assertThat(put("2", "not json", "hs-secret").status()).isEqualTo(400);
        assertThat(put("3", "{\"no_events\": true}", "hs-secret").status()).isEqualTo(400);
        assertThat(bridge.transactions()).isEmpty();
    }

    @Test
    void answersQueriesAndCanFailTransactionsOnPurpose() {
        assertThat(get("/_matrix/app/v1/users/%40irc_alice%3Atest.local").status())
                .isEqualTo(200);
        assertThat(body(get("/_matrix/app/v1/users/%40alice%3Atest.local"))).contains("M_NOT_FOUND");
        assertThat(get("/_matrix/app/v1/rooms/%23irc_x%3Atest.local").status()).isEqualTo(404);
        assertThat(bridge.userQueries()).containsExactly("@irc_alice:test.local", "@alice:test.local");
        assertThat(bridge.aliasQueries()).containsExactly("#irc_x:test.local");

        bridge.failNextTransactions(1);
        assertThat(put("t", "{\"events\": []}", "hs-secret").status()).isEqualTo(500);
        assertThat(put("t", "{\"events\": []}", "hs-secret").status()).isEqualTo(200);
        assertThat(bridge.transactions())
                .extracting(AppServiceTransaction::txnId)
                .containsExactly("t");
        assertThat(body(get("/_matrix/app/v1/nothing"))).contains("M_UNRECOGNIZED");
    }

    @Test
    void aHandlerSeesEachNewTransactionAndAFailingOneIsAnswered500AndNotRecorded() {
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        bridge.onTransaction(t -> {
            handled.add(t.txnId());
            if (t.txnId().equals("boom") && handled.size() == 2) {
                throw new IllegalStateException("bridge is busy");
            }
        });
        assertThat(put("1", "{\"events\": []}", "hs-secret").status()).isEqualTo(200);
        assertThat(put("1", "{\"events\": []}", "hs-secret").status()).isEqualTo(200);
        OutboundResponse failed = put("boom", "{\"events\": []}", "hs-secret");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(body(failed)).contains("M_UNKNOWN").contains("bridge is busy");
        assertThat(bridge.transactions())
                .extracting(AppServiceTransaction::txnId)
                .containsExactly("1");
        // the homeserver sends it again; now the handler copes
        assertThat(put("boom", "{\"events\": []}", "hs-secret").status()).isEqualTo(200);
        assertThat(handled).containsExactly("1", "boom", "boom");
        assertThat(bridge.transactions())
                .extracting(AppServiceTransaction::txnId)
                .containsExactly("1", "boom");
    }

    @Test
    void awaitsEphemeralEvents() {
        put("1", """
                {"events": [], "ephemeral": [
                  {"type": "m.receipt", "room_id": "!r:test.local", "content": {}},
                  {"type": "m.typing", "room_id": "!r:test.local", "content": {"user_ids": ["@alice:test.local"]}}]}
                """, "hs-secret");
        assertThat(bridge.awaitEphemeral(e -> e.type().equals("m.typing"), WAIT)
                        .json()
                        .path("room_id")
                        .asText())
                .isEqualTo("!r:test.local");
        assertThat(bridge.ephemeral()).extracting(ClientEvent::type).containsExactly("m.receipt", "m.typing");
        assertThatThrownBy(() -> bridge.awaitEphemeral(e -> e.type().equals("m.presence"), Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no matching ephemeral event")
                .hasMessageContaining("m.receipt");
    }

    @Test
    void onAFakeClockWaitsAdvanceItUntilWhatIsDueArrives() throws Exception {
        FakeClock clock = new FakeClock();
        bridge.advancingWhileWaiting(clock);
        // a sender that retries after 30 s of the clock, as a homeserver's backoff would
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                clock.sleep(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                return;
            }
            put("retried", "{\"events\": []}", "hs-secret");
        });
        long before = clock.monotonicNanos();
        assertThat(bridge.awaitTransaction(Duration.ofMinutes(2)).txnId()).isEqualTo("retried");
        assertThat(Duration.ofNanos(clock.monotonicNanos() - before))
                .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(40));
        sender.join();

        // the timeout is on the clock, after at least 5 s of real time
        long realStart = System.nanoTime();
        assertThatThrownBy(() -> bridge.awaitTransaction(Duration.ofSeconds(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no transaction within PT10S");
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void offlineItRefusesEveryRequestAndRecordsNothing() {
        bridge.goOffline();
        assertThatThrownBy(() -> put("1", "{\"events\": []}", "hs-secret"))
                .isInstanceOf(OutboundHttpException.class)
                .hasMessageContaining("offline");
        assertThatThrownBy(() -> get("/_matrix/app/v1/users/%40irc_alice%3Atest.local"))
                .isInstanceOf(OutboundHttpException.class);
        assertThat(bridge.userQueries()).isEmpty();
        bridge.goOnline();
        assertThat(put("1", "{\"events\": []}", "hs-secret").status()).isEqualTo(200);
        assertThat(bridge.transactions()).hasSize(1);
    }

    private OutboundResponse put(String txnId, String json, String token) {
        return send(new OutboundRequest(
                "PUT",
                uri("/_matrix/app/v1/transactions/" + txnId),
                Map.of("Authorization", List.of("Bearer " + token)),
                Optional.of(new OutboundRequest.Body("application/json", json.getBytes(StandardCharsets.UTF_8)))));
    }

    private OutboundResponse get(String path) {
        return send(new OutboundRequest(
                "GET", uri(path), Map.of("Authorization", List.of("Bearer hs-secret")), Optional.empty()));
    }

    private OutboundResponse send(OutboundRequest request) {
        return bridge.send(request);
    }

    private URI uri(String path) {
        return registration.url().resolve(path);
    }

    private static String body(OutboundResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
