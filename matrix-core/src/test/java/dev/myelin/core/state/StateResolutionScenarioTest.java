package dev.myelin.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the named scenarios in {@code src/test/resources/state-res-scenarios}. Each file says what
 * it proves and the room versions it runs in, lists the events after Alice's create event
 * ({@code "create"}) by name with their auth and prev events, the state sets by event name, and
 * the expected resolved state. Each scenario is also resolved for seeded shuffles of the state
 * sets and their entries.
 */
class StateResolutionScenarioTest {
    private static final JsonMapper MAPPER = new JsonMapper();
    private static final int SHUFFLES = 10;

    @TestFactory
    Stream<DynamicContainer> scenarios() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/state-res-scenarios").toURI());
        List<DynamicContainer> containers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                JsonNode scenario = MAPPER.readTree(file.toFile());
                List<DynamicTest> tests = new ArrayList<>();
                for (JsonNode id : scenario.get("versions")) {
                    RoomVersion version = RoomVersions.find(id.textValue()).orElseThrow();
                    tests.add(DynamicTest.dynamicTest("room version " + version.id(), () -> run(scenario, version)));
                }
                containers.add(DynamicContainer.dynamicContainer(
                        file.getFileName() + ": " + scenario.get("proves").textValue(), tests));
            }
        }
        return containers.stream();
    }

    private static void run(JsonNode scenario, RoomVersion version) {
        TestDag dag = new TestDag(version);
        Map<String, Pdu> byName = new HashMap<>();
        byName.put("create", dag.create());
        for (JsonNode spec : scenario.get("events")) {
            if (spec.has("ts")) {
                dag.nextTimestamp(spec.get("ts").longValue());
            }
            byName.put(
                    spec.get("name").textValue(),
                    dag.state(
                            spec.get("type").textValue(),
                            spec.get("state_key").textValue(),
                            spec.get("sender").textValue(),
                            spec.get("content").toString(),
                            events(spec.get("auth"), byName),
                            events(spec.get("prev"), byName)));
        }
        List<Map<StateTuple, EventId>> stateSets = new ArrayList<>();
        for (JsonNode set : scenario.get("state_sets")) {
            stateSets.add(stateSet(events(set, byName)));
        }
        Map<StateTuple, EventId> expected = stateSet(events(scenario.get("expected"), byName));

        assertThat(StateResolver.resolve(version, stateSets, dag.lookup())).isEqualTo(expected);
        for (int seed = 0; seed < SHUFFLES; seed++) {
            Random random = new Random(seed);
            List<Map<StateTuple, EventId>> shuffled = new ArrayList<>();
            for (Map<StateTuple, EventId> set : stateSets) {
                List<Map.Entry<StateTuple, EventId>> entries = new ArrayList<>(set.entrySet());
                Collections.shuffle(entries, random);
                Map<StateTuple, EventId> copy = new LinkedHashMap<>();
                entries.forEach(e -> copy.put(e.getKey(), e.getValue()));
                shuffled.add(copy);
            }
            Collections.shuffle(shuffled, random);
            assertThat(StateResolver.resolve(version, shuffled, dag.lookup()))
                    .as("shuffle seed %d", seed)
                    .isEqualTo(expected);
        }
    }

    private static List<Pdu> events(JsonNode names, Map<String, Pdu> byName) {
        List<Pdu> events = new ArrayList<>();
        for (JsonNode name : names) {
            Pdu event = byName.get(name.textValue());
            if (event == null) {
                throw new IllegalArgumentException("no event named " + name);
            }
            events.add(event);
        }
        return events;
    }

    private static Map<StateTuple, EventId> stateSet(List<Pdu> events) {
        Map<StateTuple, EventId> set = new LinkedHashMap<>();
        for (Pdu event : events) {
            set.put(new StateTuple(event.type(), event.stateKey().orElseThrow()), event.eventId());
        }
        return set;
    }
}
