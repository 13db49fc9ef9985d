package dev.myelin.server.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.room.RoomVersions;
import java.util.HashMap;
import java.util.Map;

/**
 * Rooms: their versions and directory visibility (application services' network lists too), aliases, then their events ({@link EventsImport}), each
 * room's current state with its joined-member count, its forward and backward extremities, and the
 * reports users made about its events.
 */
final class RoomsImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImportContext ctx;
    private final Map<String, String> roomVersions = new HashMap<>();

    RoomsImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        Target t = ctx.target();
        ctx.copy("rooms", "SELECT room_id, room_version, creator, is_public FROM rooms", r -> {
            String version = r.getString(2) == null ? "1" : r.getString(2);
            if (RoomVersions.find(version).isEmpty()) {
                t.skip("rooms of a room version Myelin does not know");
                return;
            }
            roomVersions.put(r.getString(1), version);
            t.insert(
                    "rooms",
                    "room_id, room_version, creator, is_public",
                    r.getString(1),
                    version,
                    r.getString(3),
                    r.getBoolean(4));
        });
        ctx.copy("room_aliases", "SELECT room_alias, room_id, creator FROM room_aliases", r -> {
            if (!roomVersions.containsKey(r.getString(2))) {
                t.skip("aliases of rooms not imported");
                return;
            }
            String creator = r.getString(3) == null ? "" : r.getString(3);
            t.insert("room_aliases", "room_alias, room_id, creator", r.getString(1), r.getString(2), creator);
        });
        ctx.copy("appservice_room_list", "SELECT appservice_id, network_id, room_id FROM appservice_room_list", r -> {
            if (!roomVersions.containsKey(r.getString(3))) {
                t.skip("directory entries of rooms not imported");
                return;
            }
            t.insert(
                    "appservice_room_list",
                    "appservice_id, network_id, room_id",
                    r.getString(1),
                    r.getString(2),
                    r.getString(3));
        });
        EventsImport events = new EventsImport(ctx, roomVersions);
        events.run();
        Map<String, Long> joined = new HashMap<>();
        ctx.copy(
                "current_state_events",
                "SELECT room_id, type, state_key, event_id, membership FROM current_state_events",
                r -> {
                    if (!events.imported(r.getString(4))) {
                        t.skip("state of rooms or events not imported");
                        return;
                    }
                    if ("m.room.member".equals(r.getString(2)) && "join".equals(r.getString(5))) {
                        joined.merge(r.getString(1), 1L, Long::sum);
                    }
                    t.insert(
                            "current_state_events",
                            "room_id, event_type, state_key, event_id, membership",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5));
                });
        // Myelin keeps the joined-member count of every room it knows, zero included
        for (String room : roomVersions.keySet()) {
            t.insert("room_stats", "room_id, joined_members", room, joined.getOrDefault(room, 0L));
        }
        t.flush();
        ctx.copy("event_forward_extremities", "SELECT room_id, event_id FROM event_forward_extremities", r -> {
            if (!events.imported(r.getString(2))) {
                t.skip("extremities that are not imported events");
                return;
            }
            t.insert("event_forward_extremities", "room_id, event_id", r.getString(1), r.getString(2));
        });
        ctx.copy(
                "event_reports",
                "SELECT id, received_ts, room_id, event_id, user_id, reason, content FROM event_reports",
                r -> {
                    if (!roomVersions.containsKey(r.getString(3))) {
                        t.skip("reports about rooms not imported");
                        return;
                    }
                    Long score = null;
                    if (r.getString(7) != null) {
                        JsonNode given = JSON.readTree(r.getString(7)).path("score");
                        score = given.canConvertToLong() ? given.asLong() : null;
                    }
                    t.insert(
                            "event_reports",
                            "id, received_ts, room_id, event_id, user_id, reason, score",
                            r.getLong(1),
                            r.getLong(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            score);
                });
        ctx.copy("event_backward_extremities", "SELECT room_id, event_id FROM event_backward_extremities", r -> {
            if (!roomVersions.containsKey(r.getString(1))) {
                t.skip("extremities of rooms not imported");
                return;
            }
            t.insert("event_backward_extremities", "room_id, event_id", r.getString(1), r.getString(2));
        });
    }
}
