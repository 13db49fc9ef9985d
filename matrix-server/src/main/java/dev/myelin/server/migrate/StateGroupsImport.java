package dev.myelin.server.migrate;

import dev.myelin.storage.state.StateStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Room state at each event. Synapse and Myelin both keep state groups as deltas over a previous group,
 * and both map an event to the state after it, so each Synapse group keeps its id and its delta rows;
 * only where the delta chain would grow past Myelin's {@link StateStore#MAX_CHAIN_LENGTH} is the group
 * resolved (walking Synapse's chain) and written as a full snapshot.
 */
final class StateGroupsImport {
    private final ImportContext ctx;
    /** Imported group to its chain length and snapshot group. */
    private final Map<Long, long[]> chains = new HashMap<>();

    StateGroupsImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        Target t = ctx.target();
        Map<String, Boolean> rooms = new HashMap<>();
        ctx.source().query("SELECT room_id FROM rooms", r -> rooms.put(r.getString(1), true));
        ctx.copy(
                "state_groups",
                "SELECT sg.id, sg.room_id, sg.event_id, edge.prev_state_group FROM state_groups sg"
                        + " LEFT JOIN state_group_edges edge ON edge.state_group = sg.id ORDER BY sg.id",
                r -> {
                    long id = r.getLong(1);
                    if (!rooms.containsKey(r.getString(2))) {
                        t.skip("state of rooms not imported");
                        return;
                    }
                    Long prev = r.getObject(4) == null ? null : r.getLong(4);
                    long[] prevChain = prev == null ? null : chains.get(prev);
                    Map<List<String>, String> rows;
                    long chainLength;
                    long snapshot;
                    if (prevChain != null && prevChain[0] + 1 <= StateStore.MAX_CHAIN_LENGTH) {
                        rows = delta(id);
                        chainLength = prevChain[0] + 1;
                        snapshot = prevChain[1];
                    } else {
                        rows = resolve(id);
                        prev = null;
                        chainLength = 0;
                        snapshot = id;
                    }
                    chains.put(id, new long[] {chainLength, snapshot});
                    t.insert(
                            "state_groups",
                            "id, room_id, event_id, prev_group, snapshot_group, chain_length",
                            id,
                            r.getString(2),
                            r.getString(3),
                            prev,
                            snapshot,
                            (int) chainLength);
                    rows.forEach((key, event) -> t.insert(
                            "state_group_entries",
                            "state_group, event_type, state_key, event_id",
                            id,
                            key.get(0),
                            key.get(1),
                            event));
                });
        ctx.copy("event_to_state_groups", "SELECT event_id, state_group FROM event_to_state_groups", r -> {
            if (!chains.containsKey(r.getLong(2))) {
                t.skip("events whose state group is not imported");
                return;
            }
            t.insert("event_to_state_groups", "event_id, state_group", r.getString(1), r.getLong(2));
        });
    }

    /** The rows Synapse stored for {@code group} itself: what changed against its previous group. */
    private Map<List<String>, String> delta(long group) {
        Map<List<String>, String> rows = new LinkedHashMap<>();
        ctx.source()
                .query(
                        "SELECT type, state_key, event_id FROM state_groups_state WHERE state_group = ?",
                        r -> rows.put(List.of(r.getString(1), r.getString(2)), r.getString(3)),
                        group);
        return rows;
    }

    /** The full state of {@code group}: its chain's deltas, the later ones winning. */
    private Map<List<String>, String> resolve(long group) {
        java.util.ArrayDeque<Long> chain = new java.util.ArrayDeque<>();
        Long at = group;
        while (at != null && !chain.contains(at)) {
            chain.push(at);
            Long[] prev = {null};
            ctx.source()
                    .query(
                            "SELECT prev_state_group FROM state_group_edges WHERE state_group = ?",
                            r -> prev[0] = r.getLong(1),
                            at);
            at = prev[0];
        }
        Map<List<String>, String> state = new LinkedHashMap<>();
        for (Long g : chain) {
            state.putAll(delta(g)); // oldest first: the deque was filled from the newest backwards
        }
        return state;
    }
}
