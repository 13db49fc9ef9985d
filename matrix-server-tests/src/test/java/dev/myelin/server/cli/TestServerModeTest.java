package dev.myelin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestHomeserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code test-server}, started in-process through the jar's command line and driven over real HTTP
 * as a bot's test in another language would drive it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestServerModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern READY = Pattern.compile("myelin test-server ready at (http://127\\.0\\.0\\.1:\\d+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Runnable> stops = new ArrayList<>();

    /** A started test server: its URL and what its command printed. */
    private record Started(String url, String out) {}

    @AfterEach
    void stopServers() {
        stops.forEach(Runnable::run);
    }

    @Test
    void printsOneReadyLineAndServesLocalhostWithOpenRegistration() throws Exception {
        Started server = start("--fake-clock");
        assertThat(server.out())
                .matches("(?s)myelin test-server ready at http://127\\.0\\.0\\.1:\\d+ \\(fake clock\\)\\n");

        // registration asks for nothing but m.login.dummy
        Reply flows = post(server, "/_matrix/client/v3/register", "{}", null);
        assertThat(flows.status()).isEqualTo(401);
        assertThat(flows.json().get("flows")).isEqualTo(JSON.readTree("[{\"stages\":[\"m.login.dummy\"]}]"));

        JsonNode alice = register(server, "alice");
        assertThat(alice.get("user_id").asText()).isEqualTo("@alice:localhost");
        assertThat(alice.get("home_server").asText()).isEqualTo("localhost");
    }

    @Test
    void theClockMovesOnlyWhenAdvanced() throws Exception {
        Started server = start("--fake-clock");
        long start =
                get(server, "/_myelin/test/v1/clock", null).json().get("now_ms").asLong();
        Thread.sleep(50); // real time passing does not move it
        assertThat(get(server, "/_myelin/test/v1/clock", null)
                        .json()
                        .get("now_ms")
                        .asLong())
                .isEqualTo(start);

        Reply advanced = post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": 1500}", null);
        assertThat(advanced.status()).isEqualTo(200);
        assertThat(advanced.json().get("now_ms").asLong()).isEqualTo(start + 1500);
        assertThat(advanced.json().get("pending_timers").isInt()).isTrue();
        assertThat(post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": 0}", null)
                        .json()
                        .get("now_ms")
                        .asLong())
                .isEqualTo(start + 1500);

        // the server stamps events with it
        String token = register(server, "alice").get("access_token").asText();
        String room = post(server, "/_matrix/client/v3/createRoom", "{}", token)
                .json()
                .get("room_id")
                .asText();
        JsonNode create = get(
                        server, "/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.create?format=event", token)
                .json();
        assertThat(create.get("origin_server_ts").asLong()).isEqualTo(start + 1500);
    }

    @Test
    void aLongPollSyncReturnsWhenTheClockPassesItsTimeout() throws Exception {
        Started server = start("--fake-clock");
        String token = register(server, "alice").get("access_token").asText();
        String since = get(server, "/_matrix/client/v3/sync", token)
                .json()
                .get("next_batch")
                .asText();
        int timersBefore = get(server, "/_myelin/test/v1/clock", null)
                .json()
                .get("pending_timers")
                .asInt();

        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                request(server, "/_matrix/client/v3/sync?timeout=600000&since=" + enc(since), token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        awaitTimers(server, timersBefore + 1);

        post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": 599999}", null);
        Thread.sleep(200);
        assertThat(poll).isNotDone();

        post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": 1}", null);
        HttpResponse<String> response = poll.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        // nothing happened: the same position, no room
        assertThat(body.get("next_batch").asText()).isEqualTo(since);
        assertThat(body.get("rooms").get("join").size()).isZero();
    }

    @Test
    void loginTokensExpireOnTheServersClock() throws Exception {
        Started server = start("--fake-clock");
        register(server, "alice");
        JsonNode fresh = loginToken(server);
        long lifetime = fresh.get("expires_in_ms").asLong();
        post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": " + (lifetime - 1) + "}", null);
        assertThat(tokenLogin(server, fresh.get("login_token").asText()).status())
                .isEqualTo(200);

        JsonNode stale = loginToken(server);
        post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": " + lifetime + "}", null);
        assertError(tokenLogin(server, stale.get("login_token").asText()), 403, "M_FORBIDDEN");
    }

    /** A token from {@code /login/get_token}, after the password stage of user-interactive auth. */
    private JsonNode loginToken(Started server) {
        String token = post(
                        server,
                        "/_matrix/client/v3/login",
                        "{\"type\": \"m.login.password\", \"identifier\": {\"type\": \"m.id.user\", \"user\": \"alice\"},"
                                + " \"password\": \"pw\"}",
                        null)
                .expect(200)
                .json()
                .get("access_token")
                .asText();
        String session = post(server, "/_matrix/client/v1/login/get_token", "{}", token)
                .expect(401)
                .json()
                .get("session")
                .asText();
        return post(
                        server,
                        "/_matrix/client/v1/login/get_token",
                        "{\"auth\": {\"type\": \"m.login.password\", \"session\": \"" + session + "\","
                                + " \"identifier\": {\"type\": \"m.id.user\", \"user\": \"alice\"}, \"password\": \"pw\"}}",
                        token)
                .expect(200)
                .json();
    }

    private Reply tokenLogin(Started server, String loginToken) {
        return post(
                server,
                "/_matrix/client/v3/login",
                "{\"type\": \"m.login.token\", \"token\": \"" + loginToken + "\"}",
                null);
    }

    @Test
    void aResetEmptiesTheServerBehindTheSamePort() throws Exception {
        Started server = start("--fake-clock");
        int freshTimers = get(server, "/_myelin/test/v1/clock", null)
                .json()
                .get("pending_timers")
                .asInt();
        JsonNode alice = register(server, "alice");
        String token = alice.get("access_token").asText();
        String room = post(
                        server,
                        "/_matrix/client/v3/createRoom",
                        "{\"room_alias_name\": \"lobby\", \"visibility\": \"public\"}",
                        token)
                .expect(200)
                .json()
                .get("room_id")
                .asText();
        // a timer of the old server: its typing expiry
        int timers = get(server, "/_myelin/test/v1/clock", null)
                .json()
                .get("pending_timers")
                .asInt();
        put(
                        server,
                        "/_matrix/client/v3/rooms/" + enc(room) + "/typing/" + enc("@alice:localhost"),
                        "{\"typing\": true, \"timeout\": 30000}",
                        token)
                .expect(200);
        awaitTimers(server, timers + 1);
        put(
                        server,
                        "/_matrix/client/v3/profile/" + enc("@alice:localhost") + "/displayname",
                        "{\"displayname\": \"Alice\"}",
                        token)
                .expect(200);
        // read once so that the profile and alias are cached
        assertThat(get(server, "/_matrix/client/v3/profile/" + enc("@alice:localhost"), null)
                        .status())
                .isEqualTo(200);
        assertThat(get(server, "/_matrix/client/v3/directory/room/" + enc("#lobby:localhost"), null)
                        .status())
                .isEqualTo(200);
        post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": 5000}", null);
        long before =
                get(server, "/_myelin/test/v1/clock", null).json().get("now_ms").asLong();

        Reply reset = post(server, "/_myelin/test/v1/reset", "", null);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json()).isEqualTo(JSON.readTree("{}"));

        // same port, same kept-alive client; nothing of before is left
        Reply whoami = get(server, "/_matrix/client/v3/account/whoami", token);
        assertThat(whoami.status()).isEqualTo(401);
        assertThat(whoami.json().get("errcode").asText()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(get(server, "/_matrix/client/v3/profile/" + enc("@alice:localhost"), null)
                        .status())
                .isEqualTo(404);
        assertThat(get(server, "/_matrix/client/v3/directory/room/" + enc("#lobby:localhost"), null)
                        .status())
                .isEqualTo(404);
        assertThat(get(server, "/_matrix/client/v3/publicRooms", null)
                        .json()
                        .get("chunk")
                        .size())
                .isZero();
        // the name is free again, and the new server works as the old one did
        String again = register(server, "alice").get("access_token").asText();
        assertThat(post(server, "/_matrix/client/v3/createRoom", "{\"room_alias_name\": \"lobby\"}", again)
                        .status())
                .isEqualTo(200);
        // the clock keeps its time, and none of the old server's timers
        JsonNode clock = get(server, "/_myelin/test/v1/clock", null).json();
        assertThat(clock.get("now_ms").asLong()).isEqualTo(before);
        assertThat(clock.get("pending_timers").asInt()).isEqualTo(freshTimers);
    }

    @Test
    void badAdvancesAreMatrixErrors() throws Exception {
        Started server = start("--fake-clock");
        String path = "/_myelin/test/v1/clock/advance";
        assertError(post(server, path, "{\"ms\": -1}", null), 400, "M_INVALID_PARAM");
        assertError(post(server, path, "{\"ms\": 1.5}", null), 400, "M_BAD_JSON");
        assertError(post(server, path, "{\"ms\": \"5\"}", null), 400, "M_BAD_JSON");
        assertError(post(server, path, "{\"ms\": null}", null), 400, "M_MISSING_PARAM");
        assertError(post(server, path, "{}", null), 400, "M_MISSING_PARAM");
        assertError(post(server, path, "{\"ms\": 99999999999999999999}", null), 400, "M_BAD_JSON");
        assertError(post(server, path, "{\"ms\": 999999999999999}", null), 400, "M_INVALID_PARAM");
        assertError(post(server, path, "[1000]", null), 400, "M_BAD_JSON");
        assertError(post(server, path, "not json", null), 400, "M_NOT_JSON");
        assertError(get(server, path, null), 405, "M_UNRECOGNIZED");
        assertError(post(server, "/_myelin/test/v1/nothing", "{}", null), 404, "M_UNRECOGNIZED");
    }

    @Test
    void withoutFakeClockThereIsNoClockToDriveButResetWorks() throws Exception {
        Started server = start();
        assertThat(server.out()).matches("(?s)myelin test-server ready at http://127\\.0\\.0\\.1:\\d+\\n");
        assertError(get(server, "/_myelin/test/v1/clock", null), 404, "M_UNRECOGNIZED");
        assertError(post(server, "/_myelin/test/v1/clock/advance", "{\"ms\": 1}", null), 404, "M_UNRECOGNIZED");
        String token = register(server, "alice").get("access_token").asText();
        assertThat(post(server, "/_myelin/test/v1/reset", "{}", null).status()).isEqualTo(200);
        assertError(get(server, "/_matrix/client/v3/account/whoami", token), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                (server, stop) -> stops.add(stop),
                Path.of(""),
                http);
        assertThat(cli.run("test-server", "--port", "many")).isEqualTo(2);
        assertThat(cli.run("test-server", "--port", "70000")).isEqualTo(2);
        assertThat(cli.run("test-server", "--fake-clock", "--verbose")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("test-server: --port must be a number");
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        new Cli(new PrintStream(help, true, StandardCharsets.UTF_8), System.err).run("test-server", "--help");
        assertThat(help.toString(StandardCharsets.UTF_8)).contains("myelin.jar test-server [--port N] [--fake-clock]");
    }

    /** A normal server has none of the test endpoints. */
    @Test
    @ExtendWith(HomeserverExtension.class)
    void aNormalServerHasNoTestEndpoints(TestHomeserver hs) {
        for (String path :
                List.of("/_myelin/test/v1/clock", "/_myelin/test/v1/clock/advance", "/_myelin/test/v1/reset")) {
            var get = hs.anonymous().get(path);
            assertThat(get.status()).as(path).isEqualTo(404);
            assertThat(get.errcode()).as(path).isEqualTo("M_UNRECOGNIZED");
            var post = hs.anonymous().post(path, JSON.createObjectNode().put("ms", 1));
            assertThat(post.status()).as(path).isEqualTo(404);
            assertThat(post.errcode()).as(path).isEqualTo("M_UNRECOGNIZED");
        }
    }

    private Started start(String... flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("test-server", "--port", "0"));
        args.addAll(List.of(flags));
        int code = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err,
                        (server, stop) -> stops.add(stop),
                        Path.of(""),
                        http)
                .run(args.toArray(String[]::new));
        assertThat(code).isEqualTo(Cli.KEEP_RUNNING);
        String printed = out.toString(StandardCharsets.UTF_8);
        Matcher ready = READY.matcher(printed);
        assertThat(ready.find()).as(printed).isTrue();
        return new Started(ready.group(1), printed);
    }

    /** Waits (in real time, bounded) until at least {@code count} timers wait on the server's clock. */
    private void awaitTimers(Started server, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (get(server, "/_myelin/test/v1/clock", null)
                        .json()
                        .get("pending_timers")
                        .asInt()
                < count) {
            assertThat(System.nanoTime()).as("timers never reached " + count).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private JsonNode register(Started server, String name) {
        Reply reply = post(
                server,
                "/_matrix/client/v3/register",
                "{\"username\": \"" + name + "\", \"password\": \"pw\", \"auth\": {\"type\": \"m.login.dummy\"}}",
                null);
        return reply.expect(200).json();
    }

    /** A response's status and body. */
    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Reply expect(int expected) {
            assertThat(status).as(body).isEqualTo(expected);
            return this;
        }
    }

    private static void assertError(Reply reply, int status, String errcode) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().get("errcode").asText()).as(reply.body()).isEqualTo(errcode);
    }

    private Reply get(Started server, String path, String token) {
        return send(request(server, path, token).GET());
    }

    private Reply post(Started server, String path, String body, String token) {
        return send(request(server, path, token).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Reply put(Started server, String path, String body, String token) {
        return send(request(server, path, token).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder request(Started server, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
