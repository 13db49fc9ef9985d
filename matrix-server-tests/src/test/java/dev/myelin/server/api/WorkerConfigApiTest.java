package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.server.config.WorkerConfig;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code homeserver.yaml} carried over from a Synapse deployment that spells out the worker keys
 * for one process (the main process in {@code instance_map}, every stream written by {@code main}
 * or {@code master}, Redis off) runs as one process, on SQLite as on PostgreSQL, and serves as
 * before.
 */
@ExtendWith(HomeserverExtension.class)
class WorkerConfigApiTest {

    @Test
    @OverrideConfig(key = "worker_app", value = "synapse.app.homeserver")
    @OverrideConfig(key = "instance_map", value = "{main: {host: 127.0.0.1, port: 9093}}")
    @OverrideConfig(key = "stream_writers", value = "{events: main, typing: master, receipts: [main]}")
    @OverrideConfig(key = "federation_sender_instances", value = "[master]")
    @OverrideConfig(key = "pusher_instances", value = "[main]")
    @OverrideConfig(key = "run_background_tasks_on", value = "main")
    @OverrideConfig(key = "redis", value = "{enabled: false}")
    void aSingleProcessSpelledWithWorkerKeysServesEverything(TestHomeserver hs) {
        WorkerConfig workers = hs.homeserver().config().workers();
        assertThat(workers.isMain()).isTrue();
        assertThat(workers.multiProcess()).isFalse();
        assertThat(workers.writes("events")).isTrue();
        assertThat(workers.sendsFederation()).isTrue();
        assertThat(workers.sendsPushes()).isTrue();
        assertThat(workers.runsBackgroundTasks()).isTrue();

        TestClient alice = hs.registerUser("alice", "pw");
        String room = alice.createRoom(JsonNodeFactory.instance.objectNode());
        String eventId = alice.sendMessage(room, "hello");
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/event/"
                                + TestClient.encode(eventId))
                        .expect(200)
                        .json()
                        .path("content")
                        .path("body")
                        .asText())
                .isEqualTo("hello");
    }
}
