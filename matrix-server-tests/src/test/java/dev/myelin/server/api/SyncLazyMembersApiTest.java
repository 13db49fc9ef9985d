package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lazy-loading members across incremental syncs: the members a device needs to render the timeline,
 * each sent once, and every membership change of a gap.
 */
@ExtendWith(HomeserverExtension.class)
class SyncLazyMembersApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LAZY = "{\"room\":{\"timeline\":{\"limit\":2},\"state\":{\"lazy_load_members\":true}}}";
    private static final String LAZY_REDUNDANT = "{\"room\":{\"timeline\":{\"limit\":2},"
            + "\"state\":{\"lazy_load_members\":true,\"include_redundant_members\":true}}}";

    @Test
    void aSendersMemberEventIsSentOnceUnlessRedundantOnesAreAskedFor(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = room(hs, alice, bob, carol);
        bob.sendMessage(room, "one");
        carol.sendMessage(room, "two");

        JsonNode initial = alice.sync(null, Map.of("filter", LAZY));
        assertThat(members(initial, room)).containsExactlyInAnyOrder(alice.userId(), bob.userId(), carol.userId());
        JsonNode redundantInitial = alice.sync(null, Map.of("filter", LAZY_REDUNDANT));

        bob.sendMessage(room, "three");
        carol.sendMessage(room, "four");
        JsonNode next = alice.sync(initial.get("next_batch").asText(), Map.of("filter", LAZY));
        assertThat(members(next, room)).as("the device holds them already").isEmpty();
        JsonNode redundant = alice.sync(redundantInitial.get("next_batch").asText(), Map.of("filter", LAZY_REDUNDANT));
        assertThat(members(redundant, room))
                .as("asked for, but never the user's own")
                .containsExactlyInAnyOrder(bob.userId(), carol.userId());

        TestClient dave = hs.registerUser("dave");
        Memberships.join(hs, room, dave.userId());
        dave.sendMessage(room, "five");
        JsonNode daveSpoke = alice.sync(next.get("next_batch").asText(), Map.of("filter", LAZY));
        assertThat(keys(daveSpoke.at("/rooms/join").get(room).at("/timeline/events")))
                .contains("m.room.member|" + dave.userId());
        assertThat(members(daveSpoke, room))
                .as("dave's join is in the timeline itself")
                .isEmpty();

        JsonNode fresh = alice.sync(null, Map.of("filter", LAZY));
        bob.sendMessage(room, "six");
        JsonNode afterFresh = alice.sync(fresh.get("next_batch").asText(), Map.of("filter", LAZY));
        assertThat(members(afterFresh, room))
                .as("an initial sync starts the device afresh: bob was not in its last two events")
                .containsExactly(bob.userId());
    }

    @Test
    void aGappySyncCarriesTheGapsMembershipChangesAndNewSenders(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = room(hs, alice, bob, carol);
        for (int i = 0; i < 2; i++) {
            bob.sendMessage(room, "bob " + i);
        }
        JsonNode initial = alice.sync(null, Map.of("filter", LAZY));
        assertThat(members(initial, room)).containsExactlyInAnyOrder(alice.userId(), bob.userId());

        TestClient dave = hs.registerUser("dave");
        Memberships.join(hs, room, dave.userId());
        for (int i = 0; i < 5; i++) {
            carol.sendMessage(room, "carol " + i);
        }
        JsonNode gappy = alice.sync(initial.get("next_batch").asText(), Map.of("filter", LAZY));
        JsonNode entry = gappy.at("/rooms/join").get(room);
        assertThat(entry.at("/timeline/limited").asBoolean()).isTrue();
        assertThat(members(gappy, room))
                .as("carol speaks; dave joined in the gap")
                .containsExactlyInAnyOrder(carol.userId(), dave.userId());

        Memberships.leave(hs, room, dave.userId());
        for (int i = 0; i < 5; i++) {
            carol.sendMessage(room, "more " + i);
        }
        JsonNode again = alice.sync(gappy.get("next_batch").asText(), Map.of("filter", LAZY));
        assertThat(memberships(again, room))
                .as("only dave's leave: carol's event is already held")
                .containsExactly(dave.userId() + "=leave");
    }

    private static String room(TestHomeserver hs, TestClient alice, TestClient... others) {
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Lazy"));
        for (TestClient other : others) {
            Memberships.join(hs, room, other.userId());
        }
        return room;
    }

    private static List<String> members(JsonNode sync, String room) {
        JsonNode entry = sync.at("/rooms/join").get(room);
        if (entry == null) {
            return List.of();
        }
        return keys(entry.at("/state/events")).stream()
                .filter(k -> k.startsWith("m.room.member|"))
                .map(k -> k.substring("m.room.member|".length()))
                .toList();
    }

    private static List<String> memberships(JsonNode sync, String room) {
        JsonNode entry = sync.at("/rooms/join").get(room);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        entry.at("/state/events").forEach(e -> {
            if (e.get("type").asText().equals("m.room.member")) {
                out.add(e.get("state_key").asText() + "="
                        + e.at("/content/membership").asText());
            }
        });
        return out;
    }
}
