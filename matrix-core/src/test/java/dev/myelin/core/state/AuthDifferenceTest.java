package dev.myelin.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthChain#difference} against the definition read literally: the events in some state
 * set's full auth chain but not in every one, over random auth graphs and overlapping state sets.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#definitions">Definitions: auth difference (v2)</a>
 */
class AuthDifferenceTest {

    /** proves: walking the shared events' chain once gives the auth difference the definition gives. */
    @Test
    void matchesTheDefinitionOnRandomGraphs() {
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            TestDag dag = new TestDag(RoomVersions.V10);
            List<Pdu> events = new ArrayList<>();
            events.add(dag.create());
            for (int i = 0; i < 120; i++) {
                List<Pdu> auth = new ArrayList<>();
                int cites = 1 + random.nextInt(3);
                for (int c = 0; c < cites; c++) {
                    auth.add(events.get(random.nextInt(events.size())));
                }
                events.add(dag.state(
                        "m.room.member",
                        "@u" + i + ":a.test",
                        "@u" + i + ":a.test",
                        "{membership: 'join'}",
                        List.copyOf(new HashSet<>(auth)),
                        List.of(events.getLast())));
            }
            List<Set<EventId>> stateSets = new ArrayList<>();
            int sets = 2 + random.nextInt(3);
            for (int s = 0; s < sets; s++) {
                Set<EventId> set = new HashSet<>();
                for (Pdu event : events) {
                    // mostly shared, partly each set's own
                    if (random.nextInt(10) < (event.eventId().hashCode() % 2 == 0 ? 9 : 3)) {
                        set.add(event.eventId());
                    }
                }
                stateSets.add(set);
            }

            assertThat(AuthChain.difference(stateSets, dag.lookup()))
                    .as("seed %d", seed)
                    .isEqualTo(byDefinition(stateSets, dag.lookup()));
        }
    }

    private static Set<EventId> byDefinition(List<Set<EventId>> stateSets, EventLookup lookup) {
        Map<EventId, Integer> counts = new HashMap<>();
        for (Set<EventId> set : stateSets) {
            Set<EventId> full = new HashSet<>();
            for (EventId id : set) {
                full.addAll(AuthChain.of(List.of(id), lookup));
            }
            full.forEach(id -> counts.merge(id, 1, Integer::sum));
        }
        Set<EventId> difference = new HashSet<>();
        counts.forEach((id, count) -> {
            if (count < stateSets.size()) {
                difference.add(id);
            }
        });
        return difference;
    }
}
