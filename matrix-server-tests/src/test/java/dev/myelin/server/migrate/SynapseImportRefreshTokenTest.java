package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
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
 * A client that logged in to Synapse with refresh tokens keeps its session: its access token works until
 * it expires, and its refresh token gets it a new pair from Myelin. The fixture has none, so one session
 * is added to a copy of it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SynapseImportRefreshTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void refreshTokensKeepWorkingAndExpiryIsKept() throws Exception {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        String device = fixture.column("SELECT device_id FROM access_tokens WHERE user_id = '@fxbob:localhost'")
                .getFirst();
        fixture.execute("INSERT INTO refresh_tokens (id, user_id, device_id, token) VALUES"
                + " (1, '@fxbob:localhost', '" + device + "', 'syr_fixture_refresh')");
        fixture.execute("INSERT INTO access_tokens (id, user_id, device_id, token, valid_until_ms, refresh_token_id)"
                + " VALUES (1001, '@fxbob:localhost', '" + device + "', 'syt_fixture_refreshable', 4102444800000, 1)");
        fixture.execute("INSERT INTO access_tokens (id, user_id, device_id, token, valid_until_ms) VALUES"
                + " (1002, '@fxbob:localhost', '" + device + "', 'syt_fixture_expired', 1000)");
        Path myelin = dir.resolve("myelin");
        List<String> config = ImportCommands.myelinConfig(myelin, "localhost");
        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));
        assertThat(result.code()).as(result.err()).isZero();

        ImportCommands.Served served = ImportCommands.serve(config, myelin);
        try {
            URI base = served.base();
            assertThat(whoami(base, "syt_fixture_refreshable").statusCode()).isEqualTo(200);
            HttpResponse<String> expired = whoami(base, "syt_fixture_expired");
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(expired.body()).path("errcode").asText()).isEqualTo("M_UNKNOWN_TOKEN");

            HttpResponse<String> refreshed = http.send(
                    HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/refresh"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"syr_fixture_refresh\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            JsonNode tokens = JSON.readTree(refreshed.body());
            assertThat(whoami(base, tokens.path("access_token").asText()).body())
                    .contains("\"user_id\":\"@fxbob:localhost\"")
                    .contains("\"device_id\":\"" + device + "\"");
            assertThat(whoami(base, "syt_fixture_refreshable").statusCode()).isEqualTo(401);
        } finally {
            served.stop().run();
        }
    }

    private HttpResponse<String> whoami(URI base, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/_matrix/client/v3/account/whoami"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
