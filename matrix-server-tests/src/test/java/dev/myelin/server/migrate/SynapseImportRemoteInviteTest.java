package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pending invite from another server, as Synapse keeps it (an outlier invite event carrying the
 * stripped room state, a {@code rooms} row and a {@code local_current_membership} row), still shows in
 * {@code /sync} after the import. The fixture has none, so one is added to a copy of it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SynapseImportRemoteInviteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!remote:other.example";
    /** Room version 10 event ids are 43 characters of url-safe base64 (a reference hash). */
    private static final String INVITE = "$remoteInviteForFxalice" + "A".repeat(43 - 22);

    @TempDir
    Path dir;

    @Test
    void aPendingInviteFromAnotherServerIsStillPending() throws Exception {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        String event = "{\"auth_events\":[],\"prev_events\":[],\"type\":\"m.room.member\",\"room_id\":\"" + ROOM
                + "\",\"sender\":\"@host:other.example\",\"content\":{\"membership\":\"invite\"},\"depth\":5,"
                + "\"state_key\":\"@fxalice:localhost\",\"origin\":\"other.example\",\"origin_server_ts\":1796411500000,"
                + "\"hashes\":{\"sha256\":\"x\"},\"signatures\":{},\"unsigned\":{\"invite_room_state\":[{\"type\":"
                + "\"m.room.name\",\"state_key\":\"\",\"sender\":\"@host:other.example\",\"content\":{\"name\":"
                + "\"Elsewhere\"}}]}}";
        fixture.execute("INSERT INTO rooms (room_id, is_public, creator, room_version, has_auth_chain_index)"
                + " VALUES ('" + ROOM + "', 0, NULL, '10', 1)");
        fixture.execute("INSERT INTO events (stream_ordering, topological_ordering, event_id, type, room_id,"
                + " processed, outlier, depth, origin_server_ts, received_ts, sender, state_key)"
                + " SELECT MAX(stream_ordering) + 1, 5, '" + INVITE + "', 'm.room.member', '" + ROOM + "', 1, 1, 5,"
                + " 1796411500000, 1796411500000, '@host:other.example', '@fxalice:localhost' FROM events");
        fixture.execute("INSERT INTO event_json (event_id, room_id, internal_metadata, json, format_version)"
                + " VALUES ('" + INVITE + "', '" + ROOM + "', '{\"outlier\":true}', '" + event + "', 3)");
        fixture.execute("INSERT INTO local_current_membership (room_id, user_id, event_id, membership,"
                + " event_stream_ordering) SELECT '" + ROOM + "', '@fxalice:localhost', '" + INVITE + "', 'invite',"
                + " stream_ordering FROM events WHERE event_id = '" + INVITE + "'");
        Path myelin = dir.resolve("myelin");
        List<String> config = ImportCommands.myelinConfig(myelin, "localhost");
        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("local_current_membership\\s+1\\s+1");

        ImportCommands.Served served = ImportCommands.serve(config, myelin);
        try {
            String token = fixture.column("SELECT token FROM access_tokens WHERE user_id = '@fxalice:localhost'")
                    .getFirst();
            HttpResponse<String> sync = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(served.base().resolve("/_matrix/client/v3/sync"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
            JsonNode invite =
                    JSON.readTree(sync.body()).path("rooms").path("invite").path(ROOM);
            assertThat(invite.path("invite_state").path("events").toString())
                    .contains("\"name\":\"Elsewhere\"")
                    .contains("\"membership\":\"invite\"");
            assertThat(JSON.readTree(sync.body()).path("rooms").path("join").has(ROOM))
                    .isFalse();
        } finally {
            served.stop().run();
        }
    }
}
