package dev.myelin.server.api;

import static dev.myelin.server.api.SlidingSyncApiTest.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an incremental sliding sync costs in database reads, as {@link SyncDatabaseReadsTest} measures
 * it for /sync: with every extension on, a request with nothing new and one with a single changed room
 * among many read a small number of rows that does not grow with the number of rooms.
 */
@ExtendWith(HomeserverExtension.class)
class SlidingSyncDatabaseReadsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int ROOMS = 30;

    @Test
    void anIncrementalRequestReadsOnlyWhatChanged(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
            bob.join(room);
            rooms.add(room);
        }
        String body = """
                {"lists":{"all":{"ranges":[[0,99]],"timeline_limit":10,
                  "required_state":[["m.room.name",""],["m.room.avatar",""],["m.room.member","$LAZY"]],
                  "filters":{"not_room_types":["m.space"]}}},
                 "extensions":{"to_device":{"enabled":true},"e2ee":{"enabled":true},
                  "account_data":{"enabled":true},"receipts":{"enabled":true},"typing":{"enabled":true}}}""";
        String pos = sync(alice, null, body).get("pos").asText();
        // the first incremental request warms the caches as a client's first long-poll does
        pos = sync(alice, pos, body).get("pos").asText();

        long before = hs.homeserver().testSeam().databaseReadTransactions();
        JsonNode idle = sync(alice, pos, body);
        long idleReads = hs.homeserver().testSeam().databaseReadTransactions() - before;
        assertThat(idle.get("rooms")).isEmpty();

        bob.sendMessage(rooms.get(ROOMS / 2), "hello");
        before = hs.homeserver().testSeam().databaseReadTransactions();
        JsonNode one = sync(alice, idle.get("pos").asText(), body);
        long oneRoomReads = hs.homeserver().testSeam().databaseReadTransactions() - before;
        assertThat(one.get("rooms")).hasSize(1);
        assertThat(one.at("/rooms/" + rooms.get(ROOMS / 2) + "/timeline/0/content/body")
                        .asText())
                .isEqualTo("hello");

        System.out.printf(
                "database reads: idle sliding sync %d, one changed room of %d %d%n", idleReads, ROOMS, oneRoomReads);
        assertThat(idleReads).as("reads of a request with nothing new").isLessThan(ROOMS / 2);
        assertThat(oneRoomReads).as("reads of a request with one changed room").isLessThan(ROOMS / 2);
    }
}
