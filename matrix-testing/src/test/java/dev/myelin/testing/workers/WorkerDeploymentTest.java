package dev.myelin.testing.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.storage.testing.TestDatabases;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment itself, with the real jar: every process starts and answers, requests reach the
 * process their path is routed to (as each process's access log shows), a killed persister is a
 * 502 through the proxy and serves again once restarted, and nothing keeps running after
 * {@code close()}. Skipped without {@code redis-server} or the jar (the reactor packages it first).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerDeploymentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void startsEveryProcessRoutesByPathRestartsAKilledOneAndLeavesNothingRunning() throws Exception {
        assumeTrue(RedisProcess.findBinary().isPresent(), "redis-server is not installed");
        Path jar = Path.of(System.getProperty("myelin.jar", "../matrix-server/target/myelin.jar"));
        assumeTrue(Files.isRegularFile(jar), "no homeserver jar at " + jar.toAbsolutePath());

        List<Long> pids = new ArrayList<>();
        Path dir;
        try (HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                WorkerDeployment hs = WorkerDeployment.builder(
                                jar, TestDatabases.freshConfig(TestDatabases.Kind.POSTGRES))
                        .eventPersisters(1)
                        .syncWorkers(1)
                        .start()) {
            dir = hs.directory();
            assertThat(hs.names()).containsExactly("main", "persister1", "sync1");
            assertThat(hs.names(WorkerRole.EVENT_PERSISTER)).containsExactly("persister1");
            for (String name : hs.names()) {
                pids.add(hs.pid(name));
                assertThat(call(http, "GET", hs.processUrl(name) + "/_matrix/client/versions", null, null)
                                .statusCode())
                        .as(name)
                        .isEqualTo(200);
            }
            pids.add(hs.redis().pid());
            assertThat(hs.cpuTime("main"))
                    .hasValueSatisfying(cpu -> assertThat(cpu).isPositive());
            assertThat(Files.readString(dir.resolve("sync1.yaml"))).contains("synapse.app.generic_worker");

            HttpResponse<String> registered =
                    call(http, "POST", hs.proxyUrl() + "/_matrix/client/v3/register", null, """
                    {"username": "alice", "password": "wonderland-1", "auth": {"type": "m.login.dummy"}}""");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
            String token = JSON.readTree(registered.body()).get("access_token").asText();
            HttpResponse<String> sync =
                    call(http, "GET", hs.proxyUrl() + "/_matrix/client/v3/sync?timeout=0", token, null);
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
            awaitLog(hs, "sync1", "GET /_matrix/client/v3/sync 200");
            awaitLog(hs, "main", "POST /_matrix/client/v3/register 200");
            assertThat(hs.logTail("main", 1000)).doesNotContain("GET /_matrix/client/v3/sync ");

            JsonNode room =
                    JSON.readTree(call(http, "POST", hs.proxyUrl() + "/_matrix/client/v3/createRoom", token, "{}")
                            .body());
            String send = hs.proxyUrl() + "/_matrix/client/v3/rooms/"
                    + URLEncoder.encode(room.get("room_id").asText(), StandardCharsets.UTF_8)
                    + "/send/m.room.message/";
            long before = hs.pid("persister1");
            hs.kill("persister1");
            assertThat(hs.isRunning("persister1")).isFalse();
            assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            HttpResponse<String> down =
                    call(http, "PUT", send + "t1", token, "{\"msgtype\":\"m.text\",\"body\":\"x\"}");
            assertThat(down.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(down.body()).get("errcode").asText()).isEqualTo("M_UNKNOWN");
            assertThat(JSON.readTree(down.body()).get("error").asText()).contains("persister1");

            hs.restart("persister1");
            assertThat(hs.pid("persister1")).isNotEqualTo(before);
            pids.add(hs.pid("persister1"));
            HttpResponse<String> up = call(http, "PUT", send + "t2", token, "{\"msgtype\":\"m.text\",\"body\":\"y\"}");
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            // the access log line follows the response
            awaitLog(hs, "persister1", "/send/m.room.message/t2 200");
            assertThat(hs.logTail("persister1", 1000).split("---- starting persister1", -1))
                    .as("the log is appended to across restarts")
                    .hasSize(3);
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("process %d after close()", pid)
                    .isNotEqualTo(Optional.of(true));
        }
        assertThat(dir).doesNotExist();
    }

    private static void awaitLog(WorkerDeployment hs, String process, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!hs.logTail(process, 1000).contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(hs.logTail(process, 1000)).as(process + "'s log").contains(line);
    }

    private static HttpResponse<String> call(HttpClient http, String method, String url, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
