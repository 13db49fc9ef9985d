package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.testing.appservice.AppServiceTransaction;
import dev.myelin.testing.appservice.TestAppService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link TestAppService} registered with a {@link TestHomeserver}: the registration file the
 * builder writes, the client that plays the service towards the server, and what the server
 * pushes to the service.
 */
class TestHomeserverAppServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestAppService bridge =
            TestAppService.of(dev.myelin.testing.appservice.AppServiceRegistration.builder("irc")
                    .senderLocalpart("ircbot")
                    .exclusiveUsers("@irc_.*:test\\.local")
                    .build());
    private TestHomeserver hs;

    @AfterEach
    void close() {
        if (hs != null) {
            hs.close();
        }
    }

    @Test
    void theServerLoadsTheRegistrationFromAFileDeletedOnClose() {
        hs = TestHomeserver.builder().appService(bridge).start();

        AppServiceRegistration loaded = hs.homeserver().config().appServices().getFirst();
        assertThat(loaded.id()).isEqualTo("irc");
        assertThat(loaded.asToken()).isEqualTo(bridge.registration().asToken());
        assertThat(loaded.hsToken()).isEqualTo(bridge.registration().hsToken());
        assertThat(loaded.url()).contains(bridge.registration().url());
        assertThat(loaded.rateLimited()).isFalse();
        Path file = Path.of(loaded.file());
        assertThat(file).hasContent(bridge.registration().toYaml());

        hs.close();
        hs = null;
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(file.getParent())).isFalse();
    }

    @Test
    void theServiceClientActsAsTheSenderAndOnlyAsUsersOfItsNamespace() {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient service = hs.appServiceClient(bridge);
        assertThat(service.userId()).isEqualTo("@ircbot:test.local");
        assertThat(service.get("/_matrix/client/v3/account/whoami")
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo("@ircbot:test.local");

        TestClient alice = hs.registerUser("alice");
        assertThat(service.asUser(alice.userId()).get("/_matrix/client/v3/account/whoami"))
                .hasStatus(403)
                .hasErrcode("M_FORBIDDEN");
        // in the namespace, but never registered
        assertThat(service.asUser("@irc_nobody:test.local").get("/_matrix/client/v3/account/whoami"))
                .hasStatus(403)
                .hasErrcode("M_FORBIDDEN");
    }

    @Test
    void registersGhostsThatOnlyTheServiceMayCreate() {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient bob = hs.appServiceClient(bridge).registerGhost("irc_bob");

        assertThat(bob.userId()).isEqualTo("@irc_bob:test.local");
        assertThat(bob.get("/_matrix/client/v3/account/whoami")
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo("@irc_bob:test.local");
        assertThat(hs.anonymous().post("/_matrix/client/v3/register", """
                                {"username": "irc_carol", "password": "p", "auth": {"type": "m.login.dummy"}}"""))
                .hasStatus(400)
                .hasErrcode("M_EXCLUSIVE");
        assertThatThrownBy(() -> hs.appServiceClient(bridge).registerGhost("carol"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("M_EXCLUSIVE");
    }

    @Test
    void theServicesGhostsAnswerWhatItReceives() {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient bob = hs.appServiceClient(bridge).registerGhost("irc_bob");
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);

        alice.sendMessage(room, "hello IRC");

        ClientEvent relayed = bridge.awaitEvent(e -> e.isMessage("hello IRC"), WAIT);
        assertThat(relayed).hasSender(alice.userId());
        assertThat(relayed.roomId()).contains(room);
        bob.sendMessage(room, "hello Matrix");
        assertThat(alice.awaitEvent(room, e -> e.isMessage("hello Matrix"))).hasSender("@irc_bob:test.local");
    }

    @Test
    void aFailedTransactionIsSentAgainOnTheServersClock() {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient bob = hs.appServiceClient(bridge).registerGhost("irc_bob");
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        bridge.awaitEvent(
                e -> e.membership().orElse("").equals("join")
                        && e.stateKey().orElse("").equals(bob.userId()),
                WAIT);

        bridge.failNextTransactions(3);
        alice.sendMessage(room, "third time lucky");

        // the waits advance the fake clock, so the server's backoff passes
        assertThat(bridge.awaitEvent(e -> e.isMessage("third time lucky"), Duration.ofMinutes(10)))
                .hasSender(alice.userId());
    }

    @Test
    void whatIsSentWhileTheServiceIsOfflineArrivesInOrderWhenItIsBack() {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient bob = hs.appServiceClient(bridge).registerGhost("irc_bob");
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        bridge.awaitEvent(
                e -> e.membership().orElse("").equals("join")
                        && e.stateKey().orElse("").equals(bob.userId()),
                WAIT);

        bridge.goOffline();
        alice.sendMessage(room, "one");
        alice.sendMessage(room, "two");
        alice.sendMessage(room, "three");
        hs.clock().advance(Duration.ofMinutes(1));
        assertThat(bridge.events()).noneMatch(e -> e.isMessage("one"));
        bridge.goOnline();

        bridge.awaitEvent(e -> e.isMessage("three"), Duration.ofMinutes(30));
        assertThat(bridge.events())
                .filteredOn(e -> e.type().equals("m.room.message"))
                .extracting(e -> e.body().orElse(""))
                .containsExactly("one", "two", "three");
    }

    @Test
    void aServiceThatAsksForEphemeralEventsGetsTyping() {
        TestAppService ephemeral =
                TestAppService.of(dev.myelin.testing.appservice.AppServiceRegistration.builder("slack")
                        .senderLocalpart("slackbot")
                        .exclusiveUsers("@slack_.*:test\\.local")
                        .receiveEphemeral(true)
                        .build());
        hs = TestHomeserver.builder().appService(ephemeral).start();
        TestClient ghost = hs.appServiceClient(ephemeral).registerGhost("slack_ann");
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.invite(room, ghost.userId()).expect(200);
        ghost.join(room).expect(200);

        alice.put(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/typing/"
                                + TestClient.encode(alice.userId()),
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("typing", true)
                                .put("timeout", 30000))
                .expect(200);

        ClientEvent typing = ephemeral.awaitEphemeral(
                e -> e.type().equals("m.typing")
                        && e.json().path("content").path("user_ids").toString().contains(alice.userId()),
                WAIT);
        assertThat(typing.roomId()).contains(room);
        assertThat(ephemeral.transactions())
                .flatExtracting(AppServiceTransaction::ephemeral)
                .isNotEmpty();
    }

    @Test
    void anAliasQueryIsAnsweredByTheTestWhichMayCallTheServerMeanwhile() {
        TestAppService irc = TestAppService.of(dev.myelin.testing.appservice.AppServiceRegistration.builder("irc")
                .senderLocalpart("ircbot")
                .exclusiveAliases("#irc_.*:test\\.local")
                .build());
        hs = TestHomeserver.builder().appService(irc).start();
        TestClient service = hs.appServiceClient(irc);
        // provisioning on demand, as bridges do: the room is made before the answer
        irc.answerAliasQuery(alias -> {
            service.createRoom(JsonNodeFactory.instance
                    .objectNode()
                    .put("preset", "public_chat")
                    .put("room_alias_name", alias.substring(1, alias.indexOf(':'))));
            return true;
        });
        TestClient alice = hs.registerUser("alice");

        assertThat(alice.join("#irc_libera:test.local")).isOk();
        assertThat(alice.join("#elsewhere:test.local")).hasStatus(404);

        assertThat(irc.aliasQueries()).containsExactly("#irc_libera:test.local");
    }

    @Test
    void aUserQueryIsAnsweredByTheTestWhichMayRegisterTheGhostMeanwhile() {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient service = hs.appServiceClient(bridge);
        bridge.answerUserQuery(userId -> {
            service.registerGhost(userId.substring(1, userId.indexOf(':')));
            return true;
        });
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);

        assertThat(alice.invite(room, "@irc_dave:test.local")).isOk();
        // the service is asked while the invite is on its way to it, before it is pushed
        bridge.awaitEvent(e -> e.isMembership("@irc_dave:test.local", "invite"), WAIT);
        assertThat(service.asUser("@irc_dave:test.local").join(room)).isOk();
        assertThat(bridge.userQueries()).containsExactly("@irc_dave:test.local");
    }

    @Test
    void theBuilderRefusesWhatWouldBeAmbiguous() {
        assertThatThrownBy(() -> TestHomeserver.builder().appService(bridge).appService(bridge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("irc");
        assertThatThrownBy(() -> TestHomeserver.builder()
                        .config("app_service_config_files", "['/nowhere.yaml']")
                        .appService(bridge)
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use one of them");
        hs = TestHomeserver.builder().start();
        assertThatThrownBy(() -> hs.appServiceClient(bridge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not registered with this homeserver");
    }

    @Test
    void realTimeWaitsSeeTransactionsWithoutMovingTheClock() throws InterruptedException {
        hs = TestHomeserver.builder().appService(bridge).start();
        TestClient ghost = hs.appServiceClient(bridge).registerGhost("irc_bob");
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.invite(room, ghost.userId()).expect(200);
        ghost.join(room).expect(200);
        bridge.awaitEventInRealTime(EventPredicates.joined(ghost.userId()), WAIT);
        java.time.Instant before = hs.clock().now();

        alice.sendMessage(room, "hello IRC");
        assertThat(bridge.awaitEventInRealTime(EventPredicates.message("hello IRC"), WAIT))
                .hasSender(alice.userId());
        // already received before the call: not looked at
        bridge.assertNoEvent(EventPredicates.message("hello IRC"), Duration.ofMillis(100));
        // sent once the assertion is watching: an event that arrived before the call would not count
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            alice.sendMessage(room, "again");
        });
        assertThatThrownBy(() -> bridge.assertNoEvent(EventPredicates.message("again"), WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("again");
        sender.join();
        assertThatThrownBy(() -> bridge.awaitEventInRealTime(EventPredicates.message("never"), Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("of real time");
        assertThat(hs.clock().now()).isEqualTo(before);
    }
}
