package dev.myelin.server.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;

/**
 * Events with their JSON as Synapse stored it, stream and topological orderings, outlier flag and
 * rejection reason; which events redacted which ({@code redacted_by}, Myelin prunes on read); the
 * prev-event and auth edges; relations (of events not redacted, as Myelin keeps them); and the client
 * transaction ids that let a client recognise its own sends.
 */
final class EventsImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImportContext ctx;
    private final Map<String, String> roomVersions;
    /** Imported event id to whether it is an outlier. */
    private final Map<String, Boolean> outliers = new HashMap<>();

    EventsImport(ImportContext ctx, Map<String, String> roomVersions) {
        this.ctx = ctx;
        this.roomVersions = roomVersions;
    }

    boolean imported(String eventId) {
        return outliers.containsKey(eventId);
    }

    void run() {
        Target t = ctx.target();
        Map<String, String> redactedBy = redactions();
        ctx.copy(
                "events",
                "SELECT e.stream_ordering, e.topological_ordering, e.event_id, e.type, e.room_id, e.depth,"
                        + " e.origin_server_ts, e.sender, e.outlier, e.state_key, j.json, rej.reason"
                        + " FROM events e LEFT JOIN event_json j ON j.event_id = e.event_id"
                        + " LEFT JOIN rejections rej ON rej.event_id = e.event_id ORDER BY e.stream_ordering",
                r -> {
                    String eventId = r.getString(3);
                    String version = roomVersions.get(r.getString(5));
                    if (version == null) {
                        t.skip("events of rooms not imported");
                        return;
                    }
                    String json = r.getString(11);
                    if (json == null) {
                        t.skip("events without JSON (event_json row missing)");
                        return;
                    }
                    JsonNode parsed = JSON.readTree(json);
                    String sender = r.getString(8) != null
                            ? r.getString(8)
                            : parsed.path("sender").asText();
                    long ts = r.getObject(7) != null
                            ? r.getLong(7)
                            : parsed.path("origin_server_ts").asLong();
                    boolean outlier = r.getBoolean(9);
                    outliers.put(eventId, outlier);
                    t.insert(
                            "events",
                            "stream_ordering, event_id, room_id, event_type, state_key, sender, origin_server_ts,"
                                    + " depth, topological_ordering, outlier, rejection_reason, redacted_by,"
                                    + " room_version, json",
                            r.getLong(1),
                            eventId,
                            r.getString(5),
                            r.getString(4),
                            r.getString(10),
                            sender,
                            ts,
                            r.getLong(6),
                            r.getLong(2),
                            outlier,
                            r.getString(12),
                            redactedBy.get(eventId),
                            version,
                            json);
                });
        ctx.copy(
                "event_edges",
                "SELECT edge.event_id, edge.prev_event_id, e.room_id FROM event_edges edge"
                        + " JOIN events e ON e.event_id = edge.event_id",
                r -> {
                    Boolean outlier = outliers.get(r.getString(1));
                    if (outlier == null || outlier) {
                        t.skip("edges of outliers or events not imported (Myelin keeps them for the timeline only)");
                        return;
                    }
                    t.insert(
                            "event_edges",
                            "event_id, prev_event_id, room_id",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3));
                });
        ctx.copy("event_auth", "SELECT event_id, auth_id FROM event_auth", r -> {
            if (!imported(r.getString(1))) {
                t.skip("auth edges of events not imported");
                return;
            }
            t.insert("event_auth", "event_id, auth_id", r.getString(1), r.getString(2));
        });
        ctx.copy(
                "event_relations",
                "SELECT rel.event_id, rel.relates_to_id, rel.relation_type, e.room_id, e.type, e.sender,"
                        + " e.topological_ordering, e.stream_ordering FROM event_relations rel"
                        + " JOIN events e ON e.event_id = rel.event_id",
                r -> {
                    String eventId = r.getString(1);
                    if (!imported(eventId) || outliers.get(eventId)) {
                        t.skip("relations of events not imported");
                        return;
                    }
                    if (redactedBy.containsKey(eventId)) {
                        t.skip("relations of redacted events (a redaction removes the relation)");
                        return;
                    }
                    t.insert(
                            "event_relations",
                            "event_id, relates_to_id, relation_type, room_id, event_type, sender,"
                                    + " topological_ordering, stream_ordering",
                            eventId,
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getLong(7),
                            r.getLong(8));
                });
        ctx.copy(
                "event_txn_id_device_id",
                "SELECT event_id, user_id, device_id, txn_id, inserted_ts FROM event_txn_id_device_id",
                r -> {
                    if (!imported(r.getString(1))) {
                        t.skip("transaction ids of events not imported");
                        return;
                    }
                    t.insert(
                            "event_txn_ids",
                            "event_id, user_id, device_id, txn_id, inserted_ts",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getLong(5));
                });
    }

    /**
     * Target event to the redaction that applies to it: the redaction is in the target's room and was
     * not rejected, and where Synapse had still to check it against the target's sender (another server's
     * event), the two senders share a server.
     */
    private Map<String, String> redactions() {
        Map<String, String> redactedBy = new HashMap<>();
        Target t = ctx.target();
        ctx.copy(
                "redactions",
                "SELECT r.event_id, r.redacts, e.room_id, target.room_id, e.sender, target.sender,"
                        + " j.internal_metadata, rej.reason FROM redactions r"
                        + " JOIN events e ON e.event_id = r.event_id"
                        + " LEFT JOIN events target ON target.event_id = r.redacts"
                        + " LEFT JOIN event_json j ON j.event_id = r.event_id"
                        + " LEFT JOIN rejections rej ON rej.event_id = r.event_id ORDER BY e.stream_ordering",
                r -> {
                    if (r.getString(4) == null) {
                        t.skip("redactions of events Synapse does not have");
                        return;
                    }
                    if (!r.getString(3).equals(r.getString(4)) || r.getString(8) != null) {
                        t.skip("redactions that do not apply (other room, or rejected)");
                        return;
                    }
                    boolean recheck = r.getString(7) != null
                            && JSON.readTree(r.getString(7))
                                    .path("recheck_redaction")
                                    .asBoolean(false);
                    if (recheck && !domain(r.getString(5)).equals(domain(r.getString(6)))) {
                        t.skip("redactions of another server's event by a user without the power");
                        return;
                    }
                    redactedBy.putIfAbsent(r.getString(2), r.getString(1));
                });
        return redactedBy;
    }

    private static String domain(String userId) {
        int colon = userId.indexOf(':');
        return colon < 0 ? userId : userId.substring(colon + 1);
    }
}
