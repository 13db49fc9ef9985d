package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.SyncResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code m.ignored_user_list}: what a user no longer receives from the users they ignore. */
@ExtendWith(HomeserverExtension.class)
class IgnoredUsersApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static void ignore(TestClient client, String... users) {
        ObjectNode content = NODES.objectNode();
        ObjectNode ignored = content.putObject("ignored_users");
        for (String user : users) {
            ignored.putObject(user);
        }
        client.put(V3 + "/user/" + encode(client.userId()) + "/account_data/m.ignored_user_list", content)
                .expect(200);
    }

    private static List<String> bodies(List<ClientEvent> events) {
        return events.stream()
                .filter(e -> e.type().equals("m.room.message"))
                .map(e -> e.sender() + ":" + e.body().orElse(""))
                .toList();
    }

    @Test
    void messagesOfIgnoredUsersLeaveTimelinesButTheirStateStays(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        carol.join(room).expect(200);
        bob.sendMessage(room, "from bob");
        carol.sendMessage(room, "from carol");
        alice.sync();

        ignore(alice, bob.userId());

        assertThat(bodies(alice.messages(room))).containsExactly(carol.userId() + ":from carol");
        String bobsMessage = bob.sendMessage(room, "ignored");
        alice.get(V3 + "/rooms/" + encode(room) + "/event/" + encode(bobsMessage))
                .expect(404);
        bob.sendState(
                room,
                "m.room.member",
                bob.userId(),
                NODES.objectNode().put("membership", "join").put("displayname", "Bob"));
        SyncResponse incremental = alice.sync();
        assertThat(bodies(incremental.timeline(room))).isEmpty();
        assertThat(incremental.timeline(room).stream().map(ClientEvent::type))
                .as("state events of ignored users are still sent")
                .containsExactly("m.room.member");

        ignore(alice);
        bob.sendMessage(room, "heard again");
        assertThat(bodies(alice.sync().timeline(room))).containsExactly(bob.userId() + ":heard again");
    }

    @Test
    void aRoomWithOnlyIgnoredMessagesIsLeftOutOfAnIncrementalSync(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        ignore(alice, bob.userId());
        alice.sync();

        bob.sendMessage(room, "ignored");

        assertThat(alice.sync().joinedRooms()).doesNotContain(room);
    }

    @Test
    void invitesFromIgnoredUsersAreNotSent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String bobsRoom = bob.createRoom(null);
        String carolsRoom = carol.createRoom(null);
        alice.sync();
        bob.invite(bobsRoom, alice.userId()).expect(200);
        ignore(alice, bob.userId());
        carol.invite(carolsRoom, alice.userId()).expect(200);

        assertThat(alice.sync().invitedRooms()).containsExactly(carolsRoom);
        assertThat(new SyncResponse(alice.sync(null, java.util.Map.of())).invitedRooms())
                .containsExactly(carolsRoom);
    }

    @Test
    void entriesThatAreNotUserIdsAreSkipped(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        ignore(alice, "not a user", bob.userId());
        bob.sendMessage(room, "ignored");
        assertThat(bodies(alice.messages(room))).isEmpty();

        alice.put(
                        V3 + "/user/" + encode(alice.userId()) + "/account_data/m.ignored_user_list",
                        NODES.objectNode().put("ignored_users", "everyone"))
                .expect(200);
        assertThat(bodies(alice.messages(room))).containsExactly(bob.userId() + ":ignored");
    }
}
