package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an incremental {@code /sync} tells a user about rooms they came to share with others: the
 * history of a room they joined, the presence of the people in it, members who joined while they
 * were away, and the summary that names the room.
 */
@ExtendWith(HomeserverExtension.class)
class SyncNewRoomsAndMembersApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MESSAGES_ONLY =
            "{\"room\":{\"timeline\":{\"types\":[\"m.room.message\"],\"limit\":10},\"state\":{\"types\":[]}}}";

    @Test
    void aNewlyJoinedRoomComesWithItsEarlierHistoryMarkedLimited(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendMessage(room, "before bob synced");
        String since = bob.sync(null, Map.of("filter", MESSAGES_ONLY))
                .get("next_batch")
                .asText();
        alice.sendMessage(room, "after bob synced");
        bob.join(room).expect(200);

        JsonNode timeline = bob.sync(since, Map.of("filter", MESSAGES_ONLY))
                .at("/rooms/join")
                .get(room)
                .get("timeline");
        assertThat(bodies(timeline.get("events"))).containsExactly("before bob synced", "after bob synced");
        assertThat(timeline.get("limited").asBoolean())
                .as("earlier events (the room's creation) are not in the timeline")
                .isTrue();
        assertThat(timeline.get("prev_batch").asText()).isNotEmpty();
    }

    @Test
    void aNewlyJoinedRoomWhoseWholeHistoryFitsHasNoSeparateState(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String since = bob.sync(null, Map.of()).get("next_batch").asText();
        bob.join(room).expect(200);

        JsonNode entry = bob.sync(since, Map.of()).at("/rooms/join").get(room);
        assertThat(keys(entry.at("/timeline/events")))
                .containsExactly(
                        "m.room.create|",
                        "m.room.member|" + alice.userId(),
                        "m.room.power_levels|",
                        "m.room.join_rules|",
                        "m.room.history_visibility|",
                        "m.room.member|" + bob.userId());
        assertThat(entry.at("/timeline/limited").asBoolean()).isFalse();
        assertThat(entry.at("/state/events"))
                .as("the timeline already carries it all")
                .isEmpty();
    }

    @Test
    void presenceOfMembersNewlySharingARoomComesWithTheJoin(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String aliceSince = alice.sync(null, Map.of()).get("next_batch").asText();
        String bobSince = bob.sync(null, Map.of()).get("next_batch").asText();
        aliceSince = alice.sync(aliceSince, Map.of("set_presence", "offline"))
                .get("next_batch")
                .asText();
        bobSince = bob.sync(bobSince, Map.of("set_presence", "offline"))
                .get("next_batch")
                .asText();

        bob.join(room).expect(200);

        JsonNode bobSync = bob.sync(bobSince, Map.of("set_presence", "offline"));
        assertThat(senders(bobSync.at("/presence/events")))
                .as("bob joined alice's room: he learns her presence")
                .containsExactly(alice.userId());
        assertThat(bobSync.at("/presence/events/0/content/presence").asText()).isEqualTo("online");
        JsonNode aliceSync = alice.sync(aliceSince, Map.of("set_presence", "offline"));
        assertThat(senders(aliceSync.at("/presence/events")))
                .as("bob joined alice's room: she learns his presence")
                .containsExactly(bob.userId());
        assertThat(bob.sync(bobSync.get("next_batch").asText(), Map.of("set_presence", "offline"))
                        .at("/presence/events"))
                .as("only once")
                .isEmpty();
        assertThat(alice.sync(
                                aliceSync.get("next_batch").asText(),
                                Map.of("set_presence", "offline", "filter", "{\"presence\":{\"types\":[]}}"))
                        .at("/presence/events"))
                .isEmpty();
    }

    @Test
    void aMemberWhoJoinedWhileTheUserWasAwayShowsUpAfterTheyRejoin(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient syncer = hs.registerUser("syncer");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        syncer.join(room).expect(200);
        alice.sendState(
                room, "m.room.history_visibility", "", NODES.objectNode().put("history_visibility", "joined"));
        alice.invite(room, carol.userId()).expect(200);
        String since = syncer.sync(null, Map.of()).get("next_batch").asText();
        syncer.leave(room).expect(200);
        alice.sendMessage(room, "while syncer is away");
        carol.join(room).expect(200);
        syncer.join(room).expect(200);

        JsonNode timeline =
                syncer.sync(since, Map.of()).at("/rooms/join").get(room).at("/timeline/events");
        assertThat(keys(timeline))
                .as("carol's join is current state, so it is shown; the message is not")
                .containsExactly(
                        "m.room.member|" + syncer.userId(),
                        "m.room.member|" + carol.userId(),
                        "m.room.member|" + syncer.userId());
    }

    @Test
    void heroesNameOnlyRoomsWithoutANameOrAlias(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        assertThat(summary(alice, room))
                .isEqualTo(
                        SyncApiTest.json(
                                "{\"m.heroes\":[\"@bob:test.local\"],\"m.joined_member_count\":2,\"m.invited_member_count\":0}"));

        alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", ""));
        assertThat(summary(alice, room).has("m.heroes"))
                .as("an empty name names nothing")
                .isTrue();
        alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Lobby"));
        assertThat(summary(alice, room))
                .isEqualTo(SyncApiTest.json("{\"m.joined_member_count\":2,\"m.invited_member_count\":0}"));

        String aliased = alice.createRoom(NODES.objectNode().put("room_alias_name", "lobby"));
        assertThat(summary(alice, aliased).has("m.heroes"))
                .as("a canonical alias names the room too")
                .isFalse();
    }

    @Test
    void aTimelineLimitOfZeroGivesStateWithoutTimeline(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendMessage(room, "hello");
        String filter = "{\"room\":{\"timeline\":{\"limit\":0},\"state\":{\"types\":[\"m.room.member\"]}}}";

        JsonNode entry =
                alice.sync(null, Map.of("filter", filter)).at("/rooms/join").get(room);
        assertThat(entry.at("/timeline/events")).isEmpty();
        assertThat(entry.at("/timeline/limited").asBoolean()).isTrue();
        assertThat(keys(entry.at("/state/events"))).containsExactly("m.room.member|" + alice.userId());
    }

    @Test
    void theFederationFormatKeepsTheEventId(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String hello = alice.sendMessage(room, "hello");
        String filter = "{\"event_format\":\"federation\",\"room\":{\"timeline\":{\"limit\":1}}}";

        JsonNode event = alice.sync(null, Map.of("filter", filter))
                .at("/rooms/join")
                .get(room)
                .at("/timeline/events/0");
        assertThat(event.get("event_id").asText()).isEqualTo(hello);
        assertThat(event.get("room_id").asText()).isEqualTo(room);
        assertThat(event.has("auth_events") && event.has("prev_events") && event.has("hashes"))
                .isTrue();
    }

    private static JsonNode summary(TestClient user, String room) {
        return user.sync(null, Map.of()).at("/rooms/join").get(room).get("summary");
    }

    private static List<String> senders(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("sender").asText()));
        return out;
    }

    private static List<String> bodies(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.at("/content/body").asText()));
        return out;
    }
}
