package dev.myelin.core.state;

import static dev.myelin.core.state.TestDag.ALICE;
import static dev.myelin.core.state.TestDag.BOB;
import static dev.myelin.core.state.TestDag.CAROL;
import static dev.myelin.core.state.TestDag.ZARA;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A random room that forks: Alice creates it, then users of four servers join, leave, invite,
 * kick, ban, change power levels, the topic and the join rules, first on one trunk and then on two
 * or three forks (a fork may branch off another fork). Each event cites the auth events the state
 * of its fork gives it and is kept only when the authorization rules allow it against that state,
 * so every fork's state is one a server could hold. Timestamps sometimes repeat, so the tie-breaks
 * by event id are exercised too.
 */
final class RandomRoom {
    private static final String DAVE = "@dave:b.test";
    private static final List<String> USERS = List.of(ALICE, BOB, CAROL, DAVE, ZARA);
    private static final long[] LEVELS = {0, 25, 50, 100};

    final TestDag dag;
    private final Random random;
    private final List<Map<StateTuple, Pdu>> forks = new ArrayList<>();
    private long lastTs = 1_700_000_000_000L;

    private RandomRoom(RoomVersion version, long seed) {
        dag = new TestDag(version);
        random = new Random(seed);
    }

    /** A room grown from {@code seed}: the same seed and version give the same events and forks. */
    static RandomRoom generate(RoomVersion version, long seed) {
        RandomRoom room = new RandomRoom(version, seed);
        room.grow();
        return room;
    }

    /** The state of each fork, as event ids. */
    List<Map<StateTuple, EventId>> stateSets() {
        List<Map<StateTuple, EventId>> sets = new ArrayList<>();
        for (Map<StateTuple, Pdu> fork : forks) {
            Map<StateTuple, EventId> set = new LinkedHashMap<>();
            fork.forEach((key, event) -> set.put(key, event.eventId()));
            sets.add(set);
        }
        return sets;
    }

    private void grow() {
        Map<StateTuple, Pdu> trunk = new HashMap<>();
        Pdu create = dag.create();
        trunk.put(StateTuple.CREATE, create);
        add(trunk, "m.room.member", ALICE, ALICE, "{membership: 'join'}", List.of());
        ObjectNode users = JsonNodeFactory.instance.objectNode();
        if (!dag.version.auth().creatorsHaveInfinitePower()) {
            users.put(ALICE, 100);
        }
        users.put(BOB, LEVELS[1 + random.nextInt(3)]);
        ObjectNode power = JsonNodeFactory.instance.objectNode();
        power.set("users", users);
        add(trunk, "m.room.power_levels", "", ALICE, power.toString(), List.of());
        add(trunk, "m.room.join_rules", "", ALICE, "{join_rule: 'public'}", List.of());
        for (String user : List.of(BOB, CAROL)) {
            add(trunk, "m.room.member", user, user, "{membership: 'join'}", List.of());
        }
        randomEvents(trunk, 2 + random.nextInt(4));
        int forkCount = 2 + random.nextInt(2);
        for (int i = 0; i < forkCount; i++) {
            Map<StateTuple, Pdu> from =
                    forks.isEmpty() || random.nextBoolean() ? trunk : forks.get(random.nextInt(forks.size()));
            Map<StateTuple, Pdu> fork = new HashMap<>(from);
            randomEvents(fork, 1 + random.nextInt(7));
            forks.add(fork);
        }
    }

    private void randomEvents(Map<StateTuple, Pdu> state, int count) {
        for (int i = 0; i < count; i++) {
            String sender = USERS.get(random.nextInt(USERS.size()));
            String target = USERS.get(random.nextInt(USERS.size()));
            switch (random.nextInt(9)) {
                case 0 -> add(state, "m.room.member", sender, sender, "{membership: 'join'}", List.of());
                case 1 -> add(state, "m.room.member", sender, sender, "{membership: 'leave'}", List.of());
                case 2 -> add(state, "m.room.member", target, sender, "{membership: 'invite'}", List.of(target));
                case 3 -> add(state, "m.room.member", target, sender, "{membership: 'leave'}", List.of(target));
                case 4 -> add(state, "m.room.member", target, sender, "{membership: 'ban'}", List.of(target));
                case 5, 6 -> add(state, "m.room.power_levels", "", sender, powerChange(state, target), List.of());
                case 7 -> add(state, "m.room.topic", "", sender, "{topic: 't" + random.nextInt(100) + "'}", List.of());
                default ->
                    add(
                            state,
                            "m.room.join_rules",
                            "",
                            sender,
                            random.nextBoolean() ? "{join_rule: 'public'}" : "{join_rule: 'invite'}",
                            List.of());
            }
        }
    }

    /** The fork's power levels with {@code target}'s level (or the kick or ban level) changed. */
    private String powerChange(Map<StateTuple, Pdu> state, String target) {
        ObjectNode content = Optional.ofNullable(state.get(StateTuple.POWER_LEVELS))
                .map(e -> e.content().deepCopy())
                .filter(ObjectNode.class::isInstance)
                .map(ObjectNode.class::cast)
                .orElseGet(JsonNodeFactory.instance::objectNode);
        long level = LEVELS[random.nextInt(LEVELS.length)];
        switch (random.nextInt(3)) {
            case 0 -> content.put("kick", level);
            case 1 -> content.put("ban", level);
            default -> {
                if (!(target.equals(ALICE) && dag.version.auth().creatorsHaveInfinitePower())) {
                    if (!(content.get("users") instanceof ObjectNode)) {
                        content.putObject("users");
                    }
                    ((ObjectNode) content.get("users")).put(target, level);
                }
            }
        }
        return content.toString();
    }

    /**
     * Builds the event with the auth events the state gives it, and applies it to the state when
     * the rules allow it there.
     */
    private void add(
            Map<StateTuple, Pdu> state,
            String type,
            String stateKey,
            String sender,
            String content,
            List<String> targets) {
        List<Pdu> auth = new ArrayList<>();
        List<StateTuple> keys = new ArrayList<>(
                List.of(StateTuple.CREATE, StateTuple.POWER_LEVELS, new StateTuple("m.room.member", sender)));
        if (type.equals("m.room.member")) {
            keys.add(StateTuple.JOIN_RULES);
            targets.forEach(t -> keys.add(new StateTuple("m.room.member", t)));
        }
        for (StateTuple key : keys.stream().distinct().toList()) {
            Pdu event = state.get(key);
            if (event != null) {
                auth.add(event);
            }
        }
        if (random.nextInt(5) == 0) {
            dag.nextTimestamp(lastTs);
        } else {
            dag.nextTimestamp(lastTs + 1 + random.nextInt(3));
        }
        Pdu event = dag.state(type, stateKey, sender, content, auth, auth);
        lastTs = event.originServerTs();
        boolean allowed = EventAuthorizer.check(event, (t, k) -> Optional.ofNullable(state.get(new StateTuple(t, k))))
                .isAllowed();
        if (allowed) {
            state.put(new StateTuple(type, stateKey), event);
        }
    }
}
