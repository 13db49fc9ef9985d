package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration tokens an admin handed out on Synapse keep working on Myelin, with their uses and
 * expiry; uses reserved by registrations that were under way when Synapse stopped are freed. The
 * fixture has none, so they are added to a copy of it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SynapseImportRegistrationTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void tokensKeepTheirUsesAndExpiry() throws Exception {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        fixture.execute("INSERT INTO registration_tokens (token, uses_allowed, pending, completed, expiry_time)"
                + " VALUES ('open-token', NULL, 2, 3, NULL), ('used-up', 1, 0, 1, NULL),"
                + " ('expired', NULL, 0, 0, 1000)");
        Path myelin = dir.resolve("myelin");
        List<String> config = new ArrayList<>(ImportCommands.myelinConfig(myelin, "localhost"));
        Path tokens = myelin.resolve("tokens.yaml");
        Files.writeString(
                tokens,
                "enable_registration: true\nregistration_requires_token: true\n"
                        + "rc_registration: {per_second: 100, burst_count: 100}\n");
        config.add(tokens.toString());
        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));
        assertThat(result.code()).as(result.err()).isZero();

        ImportCommands.Served served = ImportCommands.serve(config, myelin);
        try {
            assertThat(valid(served.base(), "open-token")).isTrue();
            assertThat(valid(served.base(), "used-up")).isFalse();
            assertThat(valid(served.base(), "expired")).isFalse();
            assertThat(valid(served.base(), "never-issued")).isFalse();
        } finally {
            served.stop().run();
        }
    }

    private boolean valid(URI base, String token) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve(
                                "/_matrix/client/v1/register/m.login.registration_token/validity?token=" + token))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("valid").asBoolean();
    }
}
