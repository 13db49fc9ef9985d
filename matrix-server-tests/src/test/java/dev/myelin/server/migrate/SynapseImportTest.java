package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code import-synapse} on a real Synapse 1.132 server: the imported database is served by the real
 * server (started by the same command line, on 127.0.0.1), and what its clients see over HTTP, with
 * the access tokens they had on Synapse, is compared with Synapse's own tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SynapseImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOBBY = "!gohKGWKrnBbNPyhuty:localhost";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    private SynapseFixture fixture;
    private Path myelinDir;
    private List<String> myelinConfig;
    private Runnable stop;
    private URI base;

    @BeforeAll
    void importAndStart() throws IOException {
        dir = Files.createTempDirectory("myelin-synapse-import-");
        fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        myelinDir = dir.resolve("myelin");
        myelinConfig = ImportCommands.myelinConfig(myelinDir, "localhost");
        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, myelinConfig, false));
        assertThat(result.code()).as(result.err()).isZero();
        System.out.println("import-synapse of the fixture:\n" + result.err() + result.out());
        ImportCommands.Served served = ImportCommands.serve(myelinConfig, myelinDir);
        stop = served.stop();
        base = served.base();
    }

    @AfterAll
    void stopServer() {
        if (stop != null) {
            stop.run();
        }
        ImportCommands.deleteTree(dir);
    }

    @Test
    void everyTokenSyncsTheSameRoomsAsOnSynapse() throws Exception {
        List<List<String>> tokens = fixture.rows("SELECT user_id, token FROM access_tokens ORDER BY id");
        assertThat(tokens).hasSize(46);
        for (List<String> row : tokens) {
            JsonNode sync = get("/_matrix/client/v3/sync", row.get(1));
            assertThat(names(sync.path("rooms").path("join")))
                    .as("joined rooms of %s", row.get(0))
                    .containsExactlyInAnyOrderElementsOf(membership(row.get(0), "join"));
            assertThat(names(sync.path("rooms").path("invite")))
                    .as("invites of %s", row.get(0))
                    .containsExactlyInAnyOrderElementsOf(membership(row.get(0), "invite"));
        }
    }

    @Test
    void syncShowsTheSameTimelineAndStateAsSynapse() throws Exception {
        String token = token("@fxalice:localhost");
        JsonNode rooms = get("/_matrix/client/v3/sync", token).path("rooms").path("join");
        assertThat(names(rooms)).isNotEmpty();
        for (String room : names(rooms)) {
            JsonNode joined = rooms.path(room);
            List<String> timeline = eventIds(joined.path("timeline").path("events"));
            List<String> synapse = fixture.column(
                    "SELECT event_id FROM events WHERE room_id = ? AND outlier = 0 ORDER BY stream_ordering", room);
            assertThat(timeline).as("timeline of %s", room).isNotEmpty();
            assertThat(synapse.subList(synapse.size() - timeline.size(), synapse.size()))
                    .as("the latest events of %s", room)
                    .isEqualTo(timeline);
            Map<String, String> state = new HashMap<>();
            for (JsonNode e : joined.path("state").path("events")) {
                state.put(
                        e.path("type").asText() + "|" + e.path("state_key").asText(),
                        e.path("event_id").asText());
            }
            for (JsonNode e : joined.path("timeline").path("events")) {
                if (e.has("state_key")) {
                    state.put(
                            e.path("type").asText() + "|" + e.path("state_key").asText(),
                            e.path("event_id").asText());
                }
            }
            Map<String, String> current = new HashMap<>();
            fixture.rows("SELECT type, state_key, event_id FROM current_state_events WHERE room_id = ?", room)
                    .forEach(r -> current.put(r.get(0) + "|" + r.get(1), r.get(2)));
            assertThat(state).as("state of %s", room).isEqualTo(current);
        }
    }

    @Test
    void messagesPagesBackThroughTheWholeHistory() throws Exception {
        String token = token("@fxalice:localhost");
        List<String> seen = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 100; page++) {
            JsonNode chunk = get(
                    "/_matrix/client/v3/rooms/" + enc(LOBBY) + "/messages?dir=b&limit=17"
                            + (from == null ? "" : "&from=" + enc(from)),
                    token);
            seen.addAll(eventIds(chunk.path("chunk")));
            if (!chunk.has("end")) {
                break;
            }
            from = chunk.path("end").asText();
        }
        List<String> synapse = fixture.column(
                "SELECT event_id FROM events WHERE room_id = ? AND outlier = 0"
                        + " ORDER BY topological_ordering DESC, stream_ordering DESC",
                LOBBY);
        assertThat(synapse).hasSizeGreaterThan(30);
        assertThat(seen).isEqualTo(synapse);
    }

    @Test
    void importedMessagesAreFoundBySearch() throws Exception {
        List<String> message = fixture.rows(
                        "SELECT e.event_id, j.json FROM events e JOIN event_json j ON j.event_id = e.event_id"
                                + " WHERE e.room_id = ? AND e.type = 'm.room.message' AND e.outlier = 0"
                                + " AND e.event_id NOT IN (SELECT redacts FROM redactions)"
                                + " ORDER BY e.stream_ordering DESC LIMIT 1",
                        LOBBY)
                .getFirst();
        String body = JSON.readTree(message.get(1)).path("content").path("body").asText();
        ObjectNode search = JSON.createObjectNode();
        search.putObject("search_categories")
                .putObject("room_events")
                .put("search_term", body)
                .putObject("filter")
                .put("limit", 100);
        HttpResponse<String> found = post("/_matrix/client/v3/search", token("@fxalice:localhost"), search.toString());
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(JSON.readTree(found.body())
                        .at("/search_categories/room_events/results")
                        .findValuesAsText("event_id"))
                .contains(message.get(0));
    }

    @Test
    void theRedactedEventIsServedRedacted() throws Exception {
        List<String> redaction =
                fixture.rows("SELECT event_id, redacts FROM redactions").getFirst();
        JsonNode event = get(
                "/_matrix/client/v3/rooms/" + enc(LOBBY) + "/event/" + enc(redaction.get(1)),
                token("@fxalice:localhost"));
        assertThat(event.path("content").isEmpty()).isTrue();
        assertThat(event.path("unsigned")
                        .path("redacted_because")
                        .path("event_id")
                        .asText())
                .isEqualTo(redaction.get(0));
    }

    @Test
    void accountDataTagsPushRulesAndReceiptsCarryOver() throws Exception {
        String alice = "@fxalice:localhost";
        String token = token(alice);
        String user = "/_matrix/client/v3/user/" + enc(alice);
        for (List<String> row :
                fixture.rows("SELECT account_data_type, content FROM account_data WHERE user_id = ?", alice)) {
            assertThat(get(user + "/account_data/" + enc(row.get(0)), token)).isEqualTo(JSON.readTree(row.get(1)));
        }
        for (List<String> row : fixture.rows(
                "SELECT room_id, account_data_type, content FROM room_account_data WHERE user_id = ?", alice)) {
            assertThat(get(user + "/rooms/" + enc(row.get(0)) + "/account_data/" + enc(row.get(1)), token))
                    .isEqualTo(JSON.readTree(row.get(2)));
        }
        for (List<String> row : fixture.rows("SELECT room_id, tag, content FROM room_tags WHERE user_id = ?", alice)) {
            assertThat(get(user + "/rooms/" + enc(row.get(0)) + "/tags", token)
                            .path("tags")
                            .path(row.get(1)))
                    .isEqualTo(JSON.readTree(row.get(2)));
        }
        List<String> rule = fixture.rows(
                        "SELECT conditions, actions FROM push_rules WHERE user_name = ? AND rule_id = ?",
                        alice,
                        "global/override/fx.mute-bots")
                .getFirst();
        JsonNode served = get("/_matrix/client/v3/pushrules/global/override/fx.mute-bots", token);
        assertThat(served.path("conditions")).isEqualTo(JSON.readTree(rule.get(0)));
        assertThat(served.path("actions")).isEqualTo(JSON.readTree(rule.get(1)));
        assertThat(served.path("enabled").asBoolean()).isTrue();
        List<String> receipt = fixture.rows(
                        "SELECT user_id, event_id, receipt_type FROM receipts_linearized WHERE room_id = ?", LOBBY)
                .getFirst();
        JsonNode ephemeral = get("/_matrix/client/v3/sync", token)
                .path("rooms")
                .path("join")
                .path(LOBBY)
                .path("ephemeral");
        List<String> readers = new ArrayList<>();
        for (JsonNode event : ephemeral.path("events")) {
            names(event.path("content").path(receipt.get(1)).path(receipt.get(2)))
                    .forEach(readers::add);
        }
        assertThat(readers).contains(receipt.get(0));
    }

    @Test
    void notificationsListTheSamePushActions() throws Exception {
        List<String> users = fixture.column("SELECT pa.user_id FROM event_push_actions pa"
                + " JOIN access_tokens t ON t.user_id = pa.user_id WHERE pa.notif = 1"
                + " GROUP BY pa.user_id ORDER BY COUNT(*) DESC, pa.user_id LIMIT 3");
        assertThat(users).isNotEmpty();
        for (String user : users) {
            List<String> expected = fixture.column(
                    "SELECT pa.event_id FROM event_push_actions pa JOIN events e ON e.event_id = pa.event_id"
                            + " WHERE pa.user_id = ? AND pa.notif = 1 ORDER BY e.stream_ordering DESC",
                    user);
            JsonNode served = get("/_matrix/client/v3/notifications?limit=100", token(user));
            List<String> ids = new ArrayList<>();
            served.path("notifications")
                    .forEach(n -> ids.add(n.path("event").path("event_id").asText()));
            assertThat(ids).as("notifications of %s", user).isEqualTo(expected);
        }
    }

    @Test
    void passwordsFromSynapseLogIn() throws Exception {
        for (String user : List.of("fxalice", "fxbob", "fxcarol")) {
            HttpResponse<String> ok = post("/_matrix/client/v3/login", null, login(user, "pw-" + user + "-Zz9!"));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(JSON.readTree(ok.body()).path("user_id").asText()).isEqualTo("@" + user + ":localhost");
            HttpResponse<String> wrong = post("/_matrix/client/v3/login", null, login(user, "pw-" + user + "-Zz8!"));
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(wrong.body()).path("errcode").asText()).isEqualTo("M_FORBIDDEN");
        }
    }

    @Test
    void keysQueryReturnsTheSameDeviceKeys() throws Exception {
        for (List<String> row : fixture.rows("SELECT user_id, device_id, key_json FROM e2e_device_keys_json")) {
            HttpResponse<String> answer = post(
                    "/_matrix/client/v3/keys/query",
                    token("@fxalice:localhost"),
                    "{\"device_keys\":{\"" + row.get(0) + "\":[]}}");
            JsonNode keys = JSON.readTree(answer.body())
                    .path("device_keys")
                    .path(row.get(0))
                    .path(row.get(1));
            JsonNode expected = JSON.readTree(row.get(2));
            assertThat(keys.path("keys")).isEqualTo(expected.path("keys"));
            assertThat(keys.path("signatures")).isEqualTo(expected.path("signatures"));
            assertThat(keys.path("algorithms")).isEqualTo(expected.path("algorithms"));
        }
    }

    @Test
    void keyBackupReturnsTheSession() throws Exception {
        String token = token("@fxalice:localhost");
        List<String> version = fixture.rows("SELECT version, algorithm, auth_data FROM e2e_room_keys_versions")
                .getFirst();
        JsonNode current = get("/_matrix/client/v3/room_keys/version", token);
        assertThat(current.path("version").asText()).isEqualTo(version.get(0));
        assertThat(current.path("algorithm").asText()).isEqualTo(version.get(1));
        assertThat(current.path("auth_data")).isEqualTo(JSON.readTree(version.get(2)));
        assertThat(current.path("count").asInt()).isEqualTo(1);
        List<String> session = fixture.rows("SELECT room_id, session_id, session_data FROM e2e_room_keys")
                .getFirst();
        JsonNode keys = get("/_matrix/client/v3/room_keys/keys?version=" + version.get(0), token);
        assertThat(keys.path("rooms")
                        .path(session.get(0))
                        .path("sessions")
                        .path(session.get(1))
                        .path("session_data"))
                .isEqualTo(JSON.readTree(session.get(2)));
    }

    @Test
    void mediaDownloadsAreByteIdenticalAndThumbnailsAreServed() throws Exception {
        String token = token("@fxalice:localhost");
        for (String id : fixture.column("SELECT media_id FROM local_media_repository")) {
            HttpResponse<byte[]> download = http.send(
                    authed("/_matrix/client/v1/media/download/localhost/" + id, token)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            byte[] file = Files.readAllBytes(fixture.media(
                    "local_content/" + id.substring(0, 2) + "/" + id.substring(2, 4) + "/" + id.substring(4)));
            assertThat(download.body()).isEqualTo(file);
            HttpResponse<byte[]> thumbnail = http.send(
                    authed(
                                    "/_matrix/client/v1/media/thumbnail/localhost/" + id
                                            + "?width=32&height=32&method=crop",
                                    token)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(thumbnail.statusCode()).isEqualTo(200);
            assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/png");
        }
        Path copied = myelinDir.resolve("media_store/local_thumbnails/Nc/zD/ujEOUQZwaIqmgkbHVOph/96-96-crop.png");
        assertThat(copied)
                .hasSameBinaryContentAs(
                        fixture.media("local_thumbnails/Nc/zD/ujEOUQZwaIqmgkbHVOph/96-96-image-png-crop"));
    }

    @Test
    void aNewMessageInTheLobbyComesAfterTheImportedHistory() throws Exception {
        String token = token("@fxalice:localhost");
        JsonNode before = get("/_matrix/client/v3/sync", token);
        String since = before.path("next_batch").asText();
        HttpRequest send = authed(
                        "/_matrix/client/v3/rooms/" + enc(LOBBY) + "/send/m.room.message/after-import-1", token)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"msgtype\":\"m.text\",\"body\":\"hello from Myelin\"}"))
                .build();
        HttpResponse<String> sent = http.send(send, HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        String eventId = JSON.readTree(sent.body()).path("event_id").asText();
        JsonNode after = get("/_matrix/client/v3/sync?timeout=0&since=" + enc(since), token);
        assertThat(eventIds(after.path("rooms")
                        .path("join")
                        .path(LOBBY)
                        .path("timeline")
                        .path("events")))
                .containsExactly(eventId);
        JsonNode latest = get("/_matrix/client/v3/rooms/" + enc(LOBBY) + "/messages?dir=b&limit=2", token);
        List<String> synapseLatest = fixture.column(
                "SELECT event_id FROM events WHERE room_id = ? ORDER BY stream_ordering DESC LIMIT 1", LOBBY);
        assertThat(eventIds(latest.path("chunk"))).containsExactly(eventId, synapseLatest.getFirst());
    }

    @Test
    void theServerSignsWithSynapsesKey() throws Exception {
        HttpResponse<String> keys = http.send(
                HttpRequest.newBuilder(base.resolve("/_matrix/key/v2/server")).build(),
                HttpResponse.BodyHandlers.ofString());
        String keyId = Files.readString(fixture.config().resolveSibling("localhost.signing.key"))
                .split(" ")[1];
        assertThat(JSON.readTree(keys.body()).path("verify_keys").has("ed25519:" + keyId))
                .isTrue();
    }

    private List<String> membership(String user, String membership) {
        return fixture.column(
                "SELECT room_id FROM local_current_membership WHERE user_id = ? AND membership = ?", user, membership);
    }

    private String token(String user) {
        return fixture.column("SELECT token FROM access_tokens WHERE user_id = ?", user)
                .getFirst();
    }

    private static String login(String user, String password) {
        return "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"" + user
                + "\"},\"password\":\"" + password + "\"}";
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> eventIds(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.path("event_id").asText()));
        return ids;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder authed(String path, String token) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> response = http.send(authed(path, token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
