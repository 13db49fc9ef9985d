package dev.myelin.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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
 *
 * <p>Optional fields: {@code "why"} (the hand derivation from the spec's algorithm, for readers);
 * {@code "create_content"} (added to the create event's content, for example {@code
 * additional_creators}); per event {@code "ts"} (its {@code origin_server_ts}) and {@code
 * "content_by_version"} (the content in the named room versions, for example a power levels
 * event that may not name the room creator in room version 12); {@code "unfetchable"} (events that
 * exist in the graph but that the lookup cannot find); {@code "expected_by_version"} (the
 * expected state in the named room versions, where it differs from {@code "expected"}).
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
                if (!scenario.path("proves").isTextual()
                        || scenario.get("proves").textValue().isBlank()) {
                    throw new IllegalArgumentException(file + " does not say what it proves");
                }
                Set<String> versions = new HashSet<>();
                scenario.get("versions").forEach(id -> versions.add(id.textValue()));
                scenario.path("expected_by_version").fieldNames().forEachRemaining(id -> {
                    if (!versions.contains(id)) {
                        throw new IllegalArgumentException(
                                file + " expects a result in room version " + id + ", which it does not run in");
                    }
                });
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
        byName.put(
                "create",
                scenario.has("create_content")
                        ? dag.create((ObjectNode) scenario.get("create_content"))
                        : dag.create());
        for (JsonNode spec : scenario.get("events")) {
            if (spec.has("ts")) {
                dag.nextTimestamp(spec.get("ts").longValue());
            }
            JsonNode content = spec.path("content_by_version").has(version.id())
                    ? spec.get("content_by_version").get(version.id())
                    : spec.get("content");
            String name = spec.get("name").textValue();
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException("two events named " + name);
            }
            byName.put(
                    name,
                    dag.state(
                            spec.get("type").textValue(),
                            spec.get("state_key").textValue(),
                            spec.get("sender").textValue(),
                            content.toString(),
                            events(spec.get("auth"), byName),
                            events(spec.get("prev"), byName)));
        }
        Set<EventId> unfetchable = new HashSet<>();
        events(scenario.path("unfetchable"), byName).forEach(e -> unfetchable.add(e.eventId()));
        EventLookup all = dag.lookup();
        EventLookup lookup = id -> unfetchable.contains(id) ? Optional.empty() : all.find(id);
        List<Map<StateTuple, EventId>> stateSets = new ArrayList<>();
        for (JsonNode set : scenario.get("state_sets")) {
            stateSets.add(stateSet(events(set, byName)));
        }
        JsonNode expectedNames = scenario.path("expected_by_version").has(version.id())
                ? scenario.get("expected_by_version").get(version.id())
                : scenario.get("expected");
        Map<StateTuple, EventId> expected = stateSet(events(expectedNames, byName));

        assertThat(named(StateResolver.resolve(version, stateSets, lookup), byName))
                .isEqualTo(named(expected, byName));
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
            assertThat(StateResolver.resolve(version, shuffled, lookup))
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

    /** The state with event names instead of ids, so a failure reads in the scenario's terms. */
    private static Map<String, String> named(Map<StateTuple, EventId> state, Map<String, Pdu> byName) {
        Map<EventId, String> names = new HashMap<>();
        byName.forEach((name, event) -> names.put(event.eventId(), name));
        Map<String, String> named = new TreeMap<>();
        state.forEach((key, id) -> named.put(key.type() + "|" + key.stateKey(), names.getOrDefault(id, id.value())));
        return named;
    }

    private static Map<StateTuple, EventId> stateSet(List<Pdu> events) {
        Map<StateTuple, EventId> set = new LinkedHashMap<>();
        for (Pdu event : events) {
            set.put(new StateTuple(event.type(), event.stateKey().orElseThrow()), event.eventId());
        }
        return set;
    }
}
