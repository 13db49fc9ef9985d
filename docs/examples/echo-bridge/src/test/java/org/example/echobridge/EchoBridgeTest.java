package org.example.echobridge;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.appservice.AppServiceRegistration;
import dev.myelin.testing.appservice.TestAppService;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against a real Myelin homeserver in this JVM. The homeserver loads the bridge's
 * registration and pushes its transactions to a {@link TestAppService}, which hands them to the
 * bridge in process, as {@link AppServiceServer} would over HTTP. The bridge calls the homeserver
 * over a real HTTP client, so the server also listens on 127.0.0.1.
 */
class EchoBridgeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final AppServiceRegistration registration = AppServiceRegistration.builder("echo")
            .senderLocalpart("echobridge")
            .exclusiveUsers("@echo_.*:test\\.local")
            .build();
    private final TestAppService appService = TestAppService.of(registration);
    private TestHomeserver hs;
    private EchoBridge bridge;
    private TestClient alice;

    @BeforeEach
    void start() {
        hs = TestHomeserver.builder().listenOnLoopback().appService(appService).start();
        bridge = new EchoBridge(hs.baseUrl(), registration.asToken(), hs.serverName(), "echo_");
        appService.onTransaction(transaction -> bridge.onTransaction(transaction.json()))
                .answerUserQuery(bridge::onUserQuery);
        alice = hs.registerUser("alice");
    }

    @AfterEach
    void stop() {
        bridge.close();
        hs.close();
    }

    @Test
    void aGhostInvitedToARoomJoinsAndEchoesWhatIsSaid() {
        String room = alice.createRoom(null);
        alice.invite(room, "@echo_bob:test.local").expect(200);
        alice.awaitEvent(room, e -> e.isMembership("@echo_bob:test.local", "join"), WAIT);

        alice.sendMessage(room, "hello");

        ClientEvent reply = alice.awaitEvent(room, e -> e.isMessage("echo: hello"), WAIT);
        assertThat(reply).hasSender("@echo_bob:test.local").isTextMessage("echo: hello");
    }

    @Test
    void eachGhostAnswersEachMessageOnceAndNoGhostAnswersAnother() {
        String room = alice.createRoom(null);
        alice.invite(room, "@echo_bob:test.local").expect(200);
        alice.invite(room, "@echo_carol:test.local").expect(200);
        // the bridge has seen both joins (the room's /sync may show them in one response)
        appService.awaitEvent(e -> e.isMembership("@echo_bob:test.local", "join"), WAIT);
        appService.awaitEvent(e -> e.isMembership("@echo_carol:test.local", "join"), WAIT);

        alice.sendMessage(room, "one");
        alice.sendMessage(room, "two");

        // a transaction is recorded once the bridge has handled it: every answer has been sent
        appService.awaitEvent(e -> e.isMessage("two"), WAIT);
        assertThat(alice.messages(room))
                .filteredOn(e -> e.type().equals("m.room.message") && e.sender().startsWith("@echo_"))
                .extracting(e -> e.sender() + " " + e.body().orElse(""))
                .containsExactlyInAnyOrder(
                        "@echo_bob:test.local echo: one",
                        "@echo_carol:test.local echo: one",
                        "@echo_bob:test.local echo: two",
                        "@echo_carol:test.local echo: two");
    }

    @Test
    void aGhostThatLeftNoLongerAnswers() {
        String room = alice.createRoom(null);
        alice.invite(room, "@echo_bob:test.local").expect(200);
        alice.invite(room, "@echo_carol:test.local").expect(200);
        appService.awaitEvent(e -> e.isMembership("@echo_bob:test.local", "join"), WAIT);
        appService.awaitEvent(e -> e.isMembership("@echo_carol:test.local", "join"), WAIT);
        // the test acts as the bridge would: with its as_token, as the ghost
        TestClient bob = hs.appServiceClient(appService).asUser("@echo_bob:test.local");
        bob.leave(room).expect(200);

        alice.sendMessage(room, "anyone?");

        // a transaction is recorded once the bridge has handled it: every answer has been sent
        appService.awaitEvent(e -> e.isMessage("anyone?"), WAIT);
        assertThat(alice.messages(room))
                .filteredOn(e -> e.isMessage("echo: anyone?"))
                .extracting(ClientEvent::sender)
                .containsExactly("@echo_carol:test.local");
    }
}
