package dev.myelin.server.api.appservice;

import static dev.myelin.server.api.appservice.AppServiceFixture.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.appservice.AppServiceTransaction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Application services through real HTTP both ways: the service's token and {@code user_id}
 * masquerading, {@code m.login.application_service} registration, exclusive namespaces, and the
 * transactions pushed to a service on loopback.
 */
class AppServiceApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private AppServiceFixture as;

    @BeforeEach
    void start() {
        as = AppServiceFixture.start(true);
    }

    @AfterEach
    void stop() {
        as.close();
    }

    /** The service's ghost {@code irc_bob} is registered, invited by {@code inviter} and joins {@code room}. */
    private void ghostJoins(TestClient inviter, String room) {
        as.registerGhost("irc_bob").expect(200);
        inviter.invite(room, as.userId("irc_bob")).expect(200);
        as.as("POST", V3 + "/join/" + encode(room), as.userId("irc_bob"), NODES.objectNode())
                .expect(200);
    }

    @Test
    void theTokenActsAsTheSenderOrAsARegisteredUserOfTheNamespace() {
        assertThat(as.as("GET", V3 + "/account/whoami", null, null)
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo(as.userId("ircbot"));
        as.registerGhost("irc_bob").expect(200);
        assertThat(as.as("GET", V3 + "/account/whoami", as.userId("irc_bob"), null)
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo(as.userId("irc_bob"));

        as.user("alice");
        assertThat(as.as("GET", V3 + "/account/whoami", as.userId("alice"), null)
                        .expect(403)
                        .errcode())
                .as("a user outside the namespace")
                .isEqualTo("M_FORBIDDEN");
        assertThat(as.as("GET", V3 + "/account/whoami", as.userId("irc_nobody"), null)
                        .expect(403)
                        .errcode())
                .as("a user of the namespace nobody registered")
                .isEqualTo("M_FORBIDDEN");
        assertThat(as.as("GET", V3 + "/account/whoami", "not a user id", null)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(as.as("GET", V3 + "/account/whoami?device_id=NOPE", as.userId("irc_bob"), null)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_UNKNOWN_DEVICE");
    }

    @Test
    void theServiceRegistersItsUsersAndOnlyIt() {
        ObjectNode login =
                NODES.objectNode().put("type", "m.login.application_service").put("username", "irc_carol");
        var registered =
                as.as("POST", V3 + "/register", null, login).expect(200).json();
        assertThat(registered.path("user_id").asText()).isEqualTo(as.userId("irc_carol"));
        assertThat(registered.path("access_token").asText()).isNotEmpty();
        as.registerGhost("_irc_underscore_is_fine").expect(400); // outside the namespace, not for the underscore
        ObjectNode named = NODES.objectNode()
                .put("type", "m.login.application_service")
                .put("username", "irc_dave")
                .put("inhibit_login", true);
        assertThat(as.as("POST", V3 + "/register", as.userId("irc_dave"), named)
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .as("user_id naming the user being registered, as matrix-bot-sdk's intents send it")
                .isEqualTo(as.userId("irc_dave"));
        assertThat(as.as(
                                "POST",
                                V3 + "/register",
                                as.userId("alice"),
                                login.deepCopy().put("username", "alice"))
                        .expect(403)
                        .errcode())
                .as("but not a user_id outside the namespace")
                .isEqualTo("M_FORBIDDEN");

        assertThat(as.registerGhost("alice").expect(400).errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(as.registerGhost("irc_carol").expect(400).errcode()).isEqualTo("M_USER_IN_USE");
        assertThat(as.hs.anonymous().post(V3 + "/register", login).expect(401).errcode())
                .as("the registration type without the service's token")
                .isEqualTo("M_MISSING_TOKEN");
        TestClient alice = as.user("alice");
        assertThat(alice.post(V3 + "/register", login).expect(401).errcode()).isEqualTo("M_MISSING_TOKEN");

        ObjectNode dummy = NODES.objectNode().put("username", "irc_mallory").put("password", "pw-irc-mallory");
        dummy.putObject("auth").put("type", "m.login.dummy");
        assertThat(as.hs.anonymous().post(V3 + "/register", dummy).expect(400).errcode())
                .as("a normal registration in the exclusive namespace")
                .isEqualTo("M_EXCLUSIVE");
        assertThat(as.hs.anonymous()
                        .get(V3 + "/register/available?username=irc_mallory")
                        .expect(400)
                        .errcode())
                .isEqualTo("M_EXCLUSIVE");
    }

    @Test
    void theServiceLogsInAsItsRegisteredUsers() {
        assertThat(as.hs.anonymous().get(V3 + "/login").expect(200).json().findValuesAsText("type"))
                .contains("m.login.password", "m.login.application_service");
        as.registerGhost("irc_dave").expect(200);
        ObjectNode login = NODES.objectNode().put("type", "m.login.application_service");
        login.putObject("identifier").put("type", "m.id.user").put("user", "irc_dave");
        var session = as.as("POST", V3 + "/login", null, login).expect(200).json();
        assertThat(session.path("user_id").asText()).isEqualTo(as.userId("irc_dave"));
        assertThat(as.hs.anonymous()
                        .get(V3 + "/account/whoami?access_token="
                                + encode(session.path("access_token").asText()))
                        .expect(200)
                        .json()
                        .path("device_id")
                        .asText())
                .isEqualTo(session.path("device_id").asText());

        assertThat(as.hs.anonymous().post(V3 + "/login", login).expect(403).errcode())
                .as("without the service's token")
                .isEqualTo("M_FORBIDDEN");
        login.putObject("identifier").put("type", "m.id.user").put("user", "irc_nobody");
        assertThat(as.as("POST", V3 + "/login", null, login).expect(403).errcode())
                .as("a user of the namespace nobody registered")
                .isEqualTo("M_FORBIDDEN");
        as.user("alice");
        login.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        assertThat(as.as("POST", V3 + "/login", null, login).expect(400).errcode())
                .isEqualTo("M_EXCLUSIVE");
    }

    @Test
    void aliasesOfTheExclusiveNamespaceAreTheServices() {
        TestClient alice = as.user("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String serviceAlias = "#irc_general:" + as.hs.serverName();
        ObjectNode body = NODES.objectNode().put("room_id", room);
        assertThat(alice.put(V3 + "/directory/room/" + encode(serviceAlias), body)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_EXCLUSIVE");
        as.as("PUT", V3 + "/directory/room/" + encode(serviceAlias), null, body).expect(200);
        assertThat(alice.get(V3 + "/directory/room/" + encode(serviceAlias))
                        .expect(200)
                        .json()
                        .path("room_id")
                        .asText())
                .isEqualTo(room);
        assertThat(as.as("PUT", V3 + "/directory/room/" + encode("#other:" + as.hs.serverName()), null, body)
                        .expect(400)
                        .errcode())
                .as("an alias outside the service's namespaces")
                .isEqualTo("M_EXCLUSIVE");
    }

    @Test
    void eventsOfInterestArePushedInOrderAndOthersAreNot() {
        TestClient alice = as.user("alice");
        String bridged = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String unrelated = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        as.registerGhost("irc_bob").expect(200);
        alice.invite(bridged, as.userId("irc_bob")).expect(200);
        ClientEvent invite = as.bridge.awaitEvent(
                e -> e.type().equals("m.room.member")
                        && e.membership().filter("invite"::equals).isPresent(),
                WAIT);
        assertThat(invite.stateKey()).contains(as.userId("irc_bob"));
        as.as("POST", V3 + "/join/" + encode(bridged), as.userId("irc_bob"), NODES.objectNode())
                .expect(200);

        alice.sendMessage(unrelated, "not for the bridge");
        for (int i = 0; i < 5; i++) {
            alice.sendMessage(bridged, "to irc " + i);
        }
        as.bridge.awaitEvent(e -> e.isMessage("to irc 4"), WAIT);
        List<String> messages = as.bridge.events().stream()
                .filter(e -> e.type().equals("m.room.message"))
                .map(e -> e.body().orElse(""))
                .toList();
        assertThat(messages).containsExactly("to irc 0", "to irc 1", "to irc 2", "to irc 3", "to irc 4");
        List<Long> ids = as.bridge.transactions().stream()
                .map(t -> Long.parseLong(t.txnId()))
                .toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aServiceThatWasDownGetsWhatItMissedInOrder() {
        TestClient alice = as.user("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        ghostJoins(alice, room);
        as.bridge.awaitEvent(e -> e.membership().filter("join"::equals).isPresent(), WAIT);

        as.http.stop();
        for (int i = 0; i < 5; i++) {
            alice.sendMessage(room, "while down " + i);
        }
        as.bridge.failNextTransactions(1);
        as.http.start();
        as.bridge.awaitEvent(e -> e.isMessage("while down 4"), WAIT);
        assertThat(as.bridge.events().stream()
                        .filter(e -> e.type().equals("m.room.message"))
                        .map(e -> e.body().orElse("")))
                .containsExactly("while down 0", "while down 1", "while down 2", "while down 3", "while down 4");
    }

    @Test
    void unknownUsersAndAliasesOfTheNamespacesAreAskedFor() {
        TestClient alice = as.user("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String alias = "#irc_portal:" + as.hs.serverName();
        as.bridge.answerAliasQuery(asked -> {
            if (!asked.equals(alias)) {
                return false;
            }
            // the bridge makes the portal room's alias while the homeserver waits for its answer
            as.as(
                            "PUT",
                            V3 + "/directory/room/" + encode(asked),
                            null,
                            NODES.objectNode().put("room_id", room))
                    .expect(200);
            return true;
        });
        TestClient carol = as.user("carol");
        carol.join(alias).expect(200);
        assertThat(as.bridge.aliasQueries()).containsExactly(alias);
        String unknown = "#irc_unknown:" + as.hs.serverName();
        assertThat(as.hs.anonymous()
                        .get(V3 + "/directory/room/" + encode(unknown))
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(as.bridge.aliasQueries()).containsExactly(alias, unknown);

        alice.invite(room, as.userId("irc_ghost")).expect(200);
        as.bridge.awaitEvent(
                e -> e.stateKey().filter(as.userId("irc_ghost")::equals).isPresent(), WAIT);
        assertThat(as.bridge.userQueries()).contains(as.userId("irc_ghost"));
    }

    @Test
    void typingInABridgedRoomIsPushedAsEphemeral() {
        TestClient alice = as.user("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        ghostJoins(alice, room);
        alice.put(
                        V3 + "/rooms/" + encode(room) + "/typing/" + encode(alice.userId()),
                        NODES.objectNode().put("typing", true).put("timeout", 30000))
                .expect(200);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (AppServiceTransaction txn : as.bridge.transactions()) {
                for (ClientEvent event : txn.ephemeral()) {
                    if (event.type().equals("m.typing")) {
                        assertThat(event.json().path("room_id").asText()).isEqualTo(room);
                        assertThat(event.content().path("user_ids").get(0).asText())
                                .isEqualTo(alice.userId());
                        return;
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no m.typing pushed: " + as.bridge.transactions());
    }
}
