package dev.myelin.testing;

import static dev.myelin.testing.EventPredicates.banned;
import static dev.myelin.testing.EventPredicates.invited;
import static dev.myelin.testing.EventPredicates.joined;
import static dev.myelin.testing.EventPredicates.kicked;
import static dev.myelin.testing.EventPredicates.left;
import static dev.myelin.testing.EventPredicates.message;
import static dev.myelin.testing.EventPredicates.messageContaining;
import static dev.myelin.testing.EventPredicates.messageFrom;
import static dev.myelin.testing.EventPredicates.ofType;
import static dev.myelin.testing.EventPredicates.state;
import static dev.myelin.testing.MatrixAssertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ready-made event conditions, on the events a real room produces. */
@ExtendWith(HomeserverExtension.class)
class EventPredicatesTest {

    @Test
    void membershipConditionsTellAJoinFromAProfileChangeAndAKickFromALeave(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        bob.put(
                        "/_matrix/client/v3/profile/" + TestClient.encode(bob.userId()) + "/displayname",
                        JsonNodeFactory.instance.objectNode().put("displayname", "Bob"))
                .expect(200);
        bob.leave(room).expect(200);
        alice.invite(room, carol.userId()).expect(200);
        carol.join(room).expect(200);
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/kick",
                        JsonNodeFactory.instance.objectNode().put("user_id", carol.userId()))
                .expect(200);
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/ban",
                        JsonNodeFactory.instance.objectNode().put("user_id", bob.userId()))
                .expect(200);

        List<ClientEvent> events = alice.messages(room);
        assertThat(events.stream().filter(joined(bob.userId()))).hasSize(1);
        assertThat(events.stream().filter(e -> e.isMembership(bob.userId(), "join")))
                .hasSize(2);
        assertThat(events.stream().filter(invited(bob.userId()))).hasSize(1);
        assertThat(events.stream().filter(left(bob.userId()))).hasSize(1);
        assertThat(events.stream().filter(kicked(bob.userId()))).isEmpty();
        assertThat(events.stream().filter(left(carol.userId()))).hasSize(1);
        assertThat(events.stream().filter(kicked(carol.userId()))).hasSize(1);
        assertThat(events.stream().filter(banned(bob.userId()))).hasSize(1);
        assertThat(events.stream().filter(joined(alice.userId()))).hasSize(1);
    }

    @Test
    void messageAndStateConditions(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "remind me at noon");
        alice.sendState(
                room, "m.room.topic", "", JsonNodeFactory.instance.objectNode().put("topic", "t"));

        List<ClientEvent> events = alice.messages(room);
        assertThat(events.stream().filter(message("remind me at noon"))).hasSize(1);
        assertThat(events.stream().filter(message("remind me"))).isEmpty();
        assertThat(events.stream().filter(messageContaining("at noon"))).hasSize(1);
        assertThat(events.stream().filter(messageFrom(alice.userId()))).hasSize(1);
        assertThat(events.stream().filter(ofType("m.room.create"))).hasSize(1);
        assertThat(events.stream().filter(state("m.room.topic", ""))).hasSize(1);
    }
}
