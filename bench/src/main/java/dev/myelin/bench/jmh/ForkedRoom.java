package dev.myelin.bench.jmh;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.state.AuthChain;
import dev.myelin.core.state.EventLookup;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A large room whose history splits into two forks, for the state resolution benchmark.
 *
 * <p>The common history: create, the creator's join, power levels (a moderator at 50), public join
 * rules, shared history visibility, the moderator's join, then {@code members} joins, each citing
 * the create event, the power levels of its time and the join rules; the creator replaces the
 * power levels ten times along the way, so the mainline is about a dozen events deep.
 *
 * <p>Then two forks. Each changes the power levels twice and fork A also makes the room invite
 * only, so step 1 has power events and step 3 has mainline walks. About {@code conflict / 2}
 * member keys, spread over the whole room, change: every fifth in both forks (A bans the member
 * after a display-name change, B changes the display name: the ban must win, since the banned
 * sender of B's change is no longer joined), the others in one fork only, each with a display-name
 * change followed by a leave, a second display-name change or (fork B) a kick by the moderator.
 * The conflicted set thus holds about {@code conflict} events, and the auth difference about 0.9
 * times as many (the intermediate changes, the joins one fork changed and the superseded power
 * levels), half of them outside the conflicted set.
 */
final class ForkedRoom {
    static final UserId CREATOR = UserId.parse("@creator:bench.local");
    static final UserId MODERATOR = UserId.parse("@mod:bench.local");
    private static final int POWER_LEVEL_CHANGES = 10;

    final RoomVersion version;
    final EventLookup lookup;
    final List<Map<StateTuple, EventId>> stateSets;
    /** A key changed in both forks, and the event that must hold it after resolution (A's ban). */
    final StateTuple contestedKey;

    final EventId expectedWinner;
    /** The number of member keys in the room: the creator, the moderator and the joined members. */
    final int memberKeys;

    private final int changedKeys;
    private final RoomDag dag;
    private int powerLevelsVariant;

    ForkedRoom(RoomVersion version, int members, int conflict) {
        this.version = version;
        this.dag = new RoomDag(version, CREATOR);
        Pdu create = dag.create;
        RoomDag.Branch main = dag.start();
        Pdu creatorJoin = main.state(CREATOR, "m.room.member", CREATOR.toString(), "{\"membership\":\"join\"}", create);
        main.state(CREATOR, "m.room.power_levels", "", powerLevels(), create, creatorJoin);
        main.state(
                CREATOR,
                "m.room.join_rules",
                "",
                "{\"join_rule\":\"public\"}",
                create,
                creatorJoin,
                main.get(StateTuple.POWER_LEVELS));
        main.state(
                CREATOR,
                "m.room.history_visibility",
                "",
                "{\"history_visibility\":\"shared\"}",
                create,
                creatorJoin,
                main.get(StateTuple.POWER_LEVELS));
        join(main, MODERATOR);
        int every = Math.max(1, members / POWER_LEVEL_CHANGES);
        for (int i = 0; i < members; i++) {
            if (i > 0 && i % every == 0) {
                changePowerLevels(main, CREATOR);
            }
            join(main, member(i));
        }

        RoomDag.Branch a = main.fork();
        RoomDag.Branch b = main.fork();
        changePowerLevels(a, CREATOR);
        changePowerLevels(b, CREATOR);
        a.state(
                CREATOR,
                "m.room.join_rules",
                "",
                "{\"join_rule\":\"invite\"}",
                create,
                a.member(CREATOR),
                a.get(StateTuple.POWER_LEVELS));

        // two conflicted events per key, less the power levels and join rules pairs
        changedKeys = Math.max(5, (conflict - 4) / 2);
        int stride = Math.max(1, members / changedKeys);
        StateTuple contested = null;
        EventId winner = null;
        for (int k = 0; k < changedKeys; k++) {
            if (k == changedKeys / 2) {
                changePowerLevels(a, CREATOR);
                changePowerLevels(b, CREATOR);
            }
            UserId user = member((k * stride) % members);
            switch (k % 5) {
                case 0 -> {
                    displayName(a, user, "a" + k);
                    Pdu ban = ban(a, CREATOR, user);
                    displayName(b, user, "b" + k);
                    if (contested == null) {
                        contested = StateTuple.member(user.toString());
                        winner = ban.eventId();
                    }
                }
                case 1 -> {
                    displayName(a, user, "a" + k);
                    leave(a, user, user);
                }
                case 2 -> {
                    displayName(a, user, "a" + k);
                    displayName(a, user, "a" + k + "'");
                }
                case 3 -> {
                    displayName(b, user, "b" + k);
                    leave(b, MODERATOR, user);
                }
                default -> {
                    displayName(b, user, "b" + k);
                    displayName(b, user, "b" + k + "'");
                }
            }
        }
        this.lookup = dag.lookup();
        this.stateSets = List.of(a.stateSet(), b.stateSet());
        this.contestedKey = contested;
        this.expectedWinner = winner;
        this.memberKeys = members + 2;
    }

    /** The events whose state key the two forks disagree on. */
    Set<EventId> conflicted() {
        Set<EventId> conflicted = new HashSet<>();
        Map<StateTuple, EventId> a = stateSets.get(0);
        Map<StateTuple, EventId> b = stateSets.get(1);
        a.forEach((key, id) -> {
            if (!id.equals(b.get(key))) {
                conflicted.add(id);
                if (b.containsKey(key)) {
                    conflicted.add(b.get(key));
                }
            }
        });
        return conflicted;
    }

    Set<EventId> authDifference() {
        return AuthChain.difference(stateSets.stream().map(Map::values).toList(), lookup);
    }

    /** One line for the benchmark's output: the DAG and the sizes the resolver works on. */
    String describe() {
        Set<EventId> conflicted = conflicted();
        Set<EventId> difference = authDifference();
        Set<EventId> full = new HashSet<>(conflicted);
        full.addAll(difference);
        return "room version " + version.id() + ": " + dag.size() + " events, " + memberKeys + " member keys, "
                + changedKeys + " keys changed, conflicted set " + conflicted.size() + ", auth difference "
                + difference.size() + ", union " + full.size();
    }

    /**
     * Throws unless {@code resolved} looks like a real resolution of this room: every key of both
     * forks, every member key, A's ban on the contested key, and some members, at most one per
     * changed key, no longer joined.
     */
    void check(Map<StateTuple, EventId> resolved) {
        Set<StateTuple> keys = new HashSet<>(stateSets.get(0).keySet());
        keys.addAll(stateSets.get(1).keySet());
        if (!resolved.keySet().equals(keys)) {
            throw new IllegalStateException("resolved keys differ from the forks' keys");
        }
        long members = resolved.keySet().stream()
                .filter(key -> key.type().equals("m.room.member"))
                .count();
        long joined = resolved.entrySet().stream()
                .filter(e -> e.getKey().type().equals("m.room.member"))
                .filter(e -> lookup.find(e.getValue())
                        .orElseThrow()
                        .content()
                        .path("membership")
                        .asText()
                        .equals("join"))
                .count();
        if (members != memberKeys || joined < memberKeys - changedKeys || joined == memberKeys) {
            throw new IllegalStateException(
                    "implausible resolution: " + members + " member keys, " + joined + " joined");
        }
        if (!expectedWinner.equals(resolved.get(contestedKey))) {
            throw new IllegalStateException("the ban did not win " + contestedKey);
        }
    }

    private static UserId member(int i) {
        return UserId.parse("@m" + i + ":bench.local");
    }

    private Pdu join(RoomDag.Branch branch, UserId user) {
        return branch.state(
                user,
                "m.room.member",
                user.toString(),
                "{\"membership\":\"join\",\"displayname\":\"" + user.localpart() + "\"}",
                dag.create,
                branch.get(StateTuple.POWER_LEVELS),
                branch.get(StateTuple.JOIN_RULES));
    }

    private Pdu displayName(RoomDag.Branch branch, UserId user, String name) {
        return branch.state(
                user,
                "m.room.member",
                user.toString(),
                "{\"membership\":\"join\",\"displayname\":\"" + name + "\"}",
                dag.create,
                branch.get(StateTuple.POWER_LEVELS),
                branch.get(StateTuple.JOIN_RULES),
                branch.member(user));
    }

    /** A leave of {@code user}: their own when the sender is the user, else a kick. */
    private Pdu leave(RoomDag.Branch branch, UserId sender, UserId user) {
        return membership(branch, sender, user, "leave");
    }

    private Pdu ban(RoomDag.Branch branch, UserId sender, UserId user) {
        return membership(branch, sender, user, "ban");
    }

    private Pdu membership(RoomDag.Branch branch, UserId sender, UserId user, String membership) {
        Pdu pl = branch.get(StateTuple.POWER_LEVELS);
        String content = "{\"membership\":\"" + membership + "\"}";
        if (sender.equals(user)) {
            return branch.state(sender, "m.room.member", user.toString(), content, dag.create, pl, branch.member(user));
        }
        return branch.state(
                sender,
                "m.room.member",
                user.toString(),
                content,
                dag.create,
                pl,
                branch.member(sender),
                branch.member(user));
    }

    private void changePowerLevels(RoomDag.Branch branch, UserId sender) {
        branch.state(
                sender,
                "m.room.power_levels",
                "",
                powerLevels(),
                dag.create,
                branch.member(sender),
                branch.get(StateTuple.POWER_LEVELS));
    }

    /**
     * Power levels with the moderator at 50 (and the creator at 100 where creators are not
     * implicitly all-powerful); each call gives a different topic level so each event differs.
     */
    private String powerLevels() {
        int variant = powerLevelsVariant++;
        String users = version.auth().creatorsHaveInfinitePower()
                ? "{\"" + MODERATOR + "\":50}"
                : "{\"" + CREATOR + "\":100,\"" + MODERATOR + "\":50}";
        return "{\"users\":" + users + ",\"users_default\":0,\"events\":{\"m.room.name\":50,"
                + "\"m.room.power_levels\":100,\"m.room.topic\":" + (50 + variant) + "},\"events_default\":0,"
                + "\"state_default\":50,\"ban\":50,\"kick\":50,\"redact\":50,\"invite\":0}";
    }
}
