package dev.myelin.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties every state resolution must have, checked on seeded random forked rooms ({@link
 * RandomRoom}) in each state resolution algorithm: the answer does not depend on the order of the
 * state sets or of their entries, one state set resolves to itself, an entry every state set agrees
 * on survives, and a state set given twice counts once. A failure names the seed, so it can be
 * replayed with {@code RandomRoom.generate(version, seed)}.
 */
class StateResolutionPropertiesTest {
    private static final int ROOMS = 60;
    private static final int SHUFFLES = 3;

    static List<RoomVersion> versions() {
        return List.of(
                RoomVersions.V1,
                RoomVersions.V2,
                RoomVersions.V6,
                RoomVersions.V10,
                RoomVersions.V11,
                RoomVersions.V12);
    }

    @ParameterizedTest
    @MethodSource("versions")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void doesNotDependOnTheOrderOfStateSetsOrTheirEntries(RoomVersion version) {
        forEachRoom(version, room -> {
            Map<StateTuple, EventId> resolved = resolve(room, room.stateSets());
            for (int i = 0; i < SHUFFLES; i++) {
                assertThat(resolve(room, shuffled(room.stateSets(), new Random(room.seed() * 31 + i))))
                        .as("seed %d, shuffle %d", room.seed(), i)
                        .isEqualTo(resolved);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void resolvesOneStateSetToItself(RoomVersion version) {
        forEachRoom(version, room -> {
            for (Map<StateTuple, EventId> set : room.stateSets()) {
                assertThat(resolve(room, List.of(set)))
                        .as("seed %d", room.seed())
                        .isEqualTo(set);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void keepsEveryEntryAllStateSetsAgreeOn(RoomVersion version) {
        forEachRoom(version, room -> {
            List<Map<StateTuple, EventId>> sets = room.stateSets();
            Map<StateTuple, EventId> resolved = resolve(room, sets);
            sets.getFirst().forEach((key, id) -> {
                if (sets.stream().allMatch(set -> id.equals(set.get(key)))) {
                    assertThat(resolved.get(key))
                            .as("seed %d, %s", room.seed(), key)
                            .isEqualTo(id);
                }
            });
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void countsARepeatedStateSetOnce(RoomVersion version) {
        forEachRoom(version, room -> {
            List<Map<StateTuple, EventId>> sets = room.stateSets();
            List<Map<StateTuple, EventId>> repeated = new ArrayList<>(sets);
            repeated.add(sets.getFirst());
            assertThat(resolve(room, repeated)).as("seed %d", room.seed()).isEqualTo(resolve(room, sets));
            List<Map<StateTuple, EventId>> pair = List.of(sets.get(0), sets.get(1));
            assertThat(resolve(room, List.of(sets.get(0), sets.get(0), sets.get(1))))
                    .as("seed %d", room.seed())
                    .isEqualTo(resolve(room, pair));
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void randomRoomsMostlyConflict(RoomVersion version) {
        int conflicted = 0;
        for (int seed = 0; seed < ROOMS; seed++) {
            List<Map<StateTuple, EventId>> sets =
                    RandomRoom.generate(version, seed).stateSets();
            if (sets.stream().distinct().count() > 1) {
                conflicted++;
            }
        }
        // The properties above say little about rooms whose forks agree.
        assertThat(conflicted).isGreaterThan(ROOMS / 2);
    }

    private record Seeded(RandomRoom room, long seed) {
        List<Map<StateTuple, EventId>> stateSets() {
            return room.stateSets();
        }
    }

    private static void forEachRoom(RoomVersion version, Consumer<Seeded> check) {
        for (long seed = 0; seed < ROOMS; seed++) {
            check.accept(new Seeded(RandomRoom.generate(version, seed), seed));
        }
    }

    private static Map<StateTuple, EventId> resolve(Seeded room, List<Map<StateTuple, EventId>> sets) {
        return StateResolver.resolve(
                room.room().dag.version, sets, room.room().dag.lookup());
    }

    private static List<Map<StateTuple, EventId>> shuffled(List<Map<StateTuple, EventId>> sets, Random random) {
        List<Map<StateTuple, EventId>> result = new ArrayList<>();
        for (Map<StateTuple, EventId> set : sets) {
            List<Map.Entry<StateTuple, EventId>> entries = new ArrayList<>(set.entrySet());
            Collections.shuffle(entries, random);
            Map<StateTuple, EventId> copy = new LinkedHashMap<>();
            entries.forEach(e -> copy.put(e.getKey(), e.getValue()));
            result.add(copy);
        }
        Collections.shuffle(result, random);
        return result;
    }
}
