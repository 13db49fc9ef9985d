package dev.myelin.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the named scenarios in {@code src/test/resources/auth-scenarios}. Each file says what it
 * proves, the room versions it runs in and the join rule of the room Alice creates; each step is
 * an event checked against the current state, applied when allowed, with the expected outcome
 * ({@code "allow"} or {@code "reject"}) for every version or per version ({@code "*"} is the
 * default).
 */
class AuthScenarioTest {
    private static final JsonMapper MAPPER = new JsonMapper();

    @TestFactory
    Stream<DynamicContainer> scenarios() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/auth-scenarios").toURI());
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
        TestRoom room = TestRoom.created(version, scenario.get("join_rule").textValue());
        int index = 0;
        for (JsonNode step : scenario.get("steps")) {
            index++;
            Pdu event = room.event(
                    step.get("type").textValue(),
                    step.has("state_key") ? step.get("state_key").textValue() : null,
                    step.get("sender").textValue(),
                    (ObjectNode) step.get("content"));
            if (step.has("redacts")) {
                event = room.withKey(event, "redacts", step.get("redacts").textValue());
            }
            AuthResult result = room.check(event);
            String expected = expected(step.get("expect"), version);
            assertThat(result.isAllowed() ? "allow" : "reject")
                    .as("step %d (%s) in room version %s: %s", index, event.type(), version.id(), result)
                    .isEqualTo(expected);
            if (result.isAllowed()) {
                room.send(event);
            }
        }
    }

    private static String expected(JsonNode expect, RoomVersion version) {
        if (expect.isTextual()) {
            return expect.textValue();
        }
        JsonNode specific = expect.get(version.id());
        return specific != null ? specific.textValue() : expect.get("*").textValue();
    }
}
