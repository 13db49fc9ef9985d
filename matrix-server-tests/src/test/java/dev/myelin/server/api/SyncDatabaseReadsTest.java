package dev.myelin.server.api;

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
 * What an incremental {@code /sync} costs in database reads: the stream change caches and the
 * in-memory state must keep a sync with nothing new, and one with a single changed room among many,
 * from reading the rooms that did not change. The bounds are small constants that do not grow with
 * the number of rooms.
 */
@ExtendWith(HomeserverExtension.class)
class SyncDatabaseReadsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int ROOMS = 30;

    @Test
    void anIncrementalSyncReadsOnlyWhatChanged(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
            bob.join(room);
            rooms.add(room);
        }
        Map<String, String> lazy = Map.of("filter", "{\"room\":{\"state\":{\"lazy_load_members\":true}}}");
        String since = alice.sync(null, lazy).get("next_batch").asText();
        // the first incremental sync warms the caches the way a client's first long-poll does
        since = alice.sync(since, lazy).get("next_batch").asText();

        long before = hs.homeserver().testSeam().databaseReadTransactions();
        JsonNode idle = alice.sync(since, lazy);
        long idleReads = hs.homeserver().testSeam().databaseReadTransactions() - before;
        assertThat(idle.at("/rooms/join").isEmpty()).isTrue();

        bob.sendMessage(rooms.get(ROOMS / 2), "hello");
        before = hs.homeserver().testSeam().databaseReadTransactions();
        JsonNode one = alice.sync(since, lazy);
        long oneRoomReads = hs.homeserver().testSeam().databaseReadTransactions() - before;
        assertThat(one.at("/rooms/join").size()).isEqualTo(1);
        assertThat(one.at("/rooms/join")
                        .get(rooms.get(ROOMS / 2))
                        .at("/timeline/events/0/content/body")
                        .asText())
                .isEqualTo("hello");

        System.out.printf("database reads: idle sync %d, one changed room of %d %d%n", idleReads, ROOMS, oneRoomReads);
        assertThat(idleReads).as("reads of a sync with nothing new").isLessThan(ROOMS);
        assertThat(oneRoomReads).as("reads of a sync with one changed room").isLessThan(ROOMS);
    }
}
