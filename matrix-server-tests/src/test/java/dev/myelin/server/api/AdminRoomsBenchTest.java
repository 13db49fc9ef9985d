package dev.myelin.server.api;

import static dev.myelin.server.api.AdminRoomsApiTest.NODES;
import static dev.myelin.server.api.AdminRoomsApiTest.ROOMS;
import static dev.myelin.server.api.AdminRoomsApiTest.asAdmin;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measurements, run on demand only: {@code -Dmyelin.bench.purgeEvents=100000} purges a room of that
 * many events while another room takes messages, and prints the purge time and the send latencies
 * meanwhile; {@code -Dmyelin.bench.rooms=2000} times the admin room list over that many rooms.
 */
@ExtendWith(HomeserverExtension.class)
class AdminRoomsBenchTest {
    @Test
    @EnabledIfSystemProperty(named = "myelin.bench.purgeEvents", matches = "\\d+")
    void purgingABigRoomLeavesOtherRoomsResponsive(TestHomeserver hs) throws Exception {
        int events = Integer.parseInt(System.getProperty("myelin.bench.purgeEvents"));
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String big = alice.createRoom(null);
        long fillStart = System.nanoTime();
        AdminRoomDeletionApiTest.fill(hs, alice, big, events);
        System.out.printf("bench: filled %d events in %d ms%n", events, (System.nanoTime() - fillStart) / 1_000_000);
        String other = alice.createRoom(null);
        alice.sendMessage(other, "warm-up");

        long start = System.nanoTime();
        String deleteId = hs.request("DELETE", "/_synapse/admin/v2/rooms/" + encode(big), NODES.objectNode(), admin)
                .expect(200)
                .json()
                .path("delete_id")
                .asText();
        List<Long> latencies = new ArrayList<>();
        String status = "";
        while (!status.equals("complete") && !status.equals("failed")) {
            long sendStart = System.nanoTime();
            alice.sendMessage(other, "during " + latencies.size());
            latencies.add((System.nanoTime() - sendStart) / 1_000);
            status = asAdmin(hs, admin, "/_synapse/admin/v2/rooms/delete_status/" + deleteId, 200)
                    .path("status")
                    .asText();
        }
        long purgeMs = (System.nanoTime() - start) / 1_000_000;
        Collections.sort(latencies);
        System.out.printf(
                "bench: purged %d events in %d ms (%s); %d sends in another room meanwhile: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                events,
                purgeMs,
                status,
                latencies.size(),
                latencies.get(latencies.size() / 2) / 1000.0,
                latencies.get(Math.min(latencies.size() - 1, latencies.size() * 99 / 100)) / 1000.0,
                latencies.getLast() / 1000.0);
        assertThat(status).isEqualTo("complete");
        assertThat(hs.homeserver().testSeam().roomRows(RoomId.parse(big))).isEmpty();
    }

    @Test
    @EnabledIfSystemProperty(named = "myelin.bench.rooms", matches = "\\d+")
    void listingThousandsOfRoomsIsQuick(TestHomeserver hs) {
        int rooms = Integer.parseInt(System.getProperty("myelin.bench.rooms"));
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        for (int i = 0; i < rooms; i++) {
            alice.createRoom(NODES.objectNode().put("name", "room " + i));
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            JsonNode page = asAdmin(hs, admin, ROOMS + "?order_by=name&limit=100", 200);
            best = Math.min(best, System.nanoTime() - start);
            assertThat(page.path("total_rooms").asInt()).isEqualTo(rooms);
        }
        System.out.printf(
                "bench: listed %d rooms (first page of 100, sorted by name) in %d ms%n", rooms, best / 1_000_000);
    }
}
