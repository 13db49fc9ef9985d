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
 * Cross-signing keys and signatures as Synapse keeps them (every upload of a key, the latest in use;
 * signatures by device or public key) are served by {@code /keys/query} after the import. The fixture
 * has none, so a user's keys are added to a copy of it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SynapseImportCrossSigningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "@a85ff05bb456d:localhost";
    private static final String DEVICE = "JSCRJRJSAR";

    @TempDir
    Path dir;

    @Test
    void theLatestKeysAndTheirSignaturesAreServed() throws Exception {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        fixture.execute("INSERT INTO e2e_cross_signing_keys (user_id, keytype, keydata, stream_id) VALUES ('" + USER
                + "', 'master', '" + key("master", "OLDMASTER", null) + "', 100)");
        fixture.execute("INSERT INTO e2e_cross_signing_keys (user_id, keytype, keydata, stream_id) VALUES ('" + USER
                + "', 'master', '" + key("master", "MASTERKEY", null) + "', 101)");
        fixture.execute("INSERT INTO e2e_cross_signing_keys (user_id, keytype, keydata, stream_id) VALUES ('" + USER
                + "', 'self_signing', '" + key("self_signing", "SELFKEY", "MASTERKEY") + "', 102)");
        fixture.execute("INSERT INTO e2e_cross_signing_signatures (user_id, key_id, target_user_id,"
                + " target_device_id, signature) VALUES ('" + USER + "', 'ed25519:SELFKEY', '" + USER + "', '"
                + DEVICE + "', 'devicesig')");
        Path myelin = dir.resolve("myelin");
        List<String> config = ImportCommands.myelinConfig(myelin, "localhost");
        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("e2e_cross_signing_keys\\s+3\\s+2\\s+1 cross-signing keys replaced");

        ImportCommands.Served served = ImportCommands.serve(config, myelin);
        try {
            String token = fixture.column("SELECT token FROM access_tokens WHERE user_id = '@fxalice:localhost'")
                    .getFirst();
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(served.base().resolve("/_matrix/client/v3/keys/query"))
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"device_keys\":{\"" + USER + "\":[]}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode keys = JSON.readTree(answer.body());
            assertThat(keys.path("master_keys").path(USER).path("keys"))
                    .isEqualTo(JSON.readTree("{\"ed25519:MASTERKEY\":\"MASTERKEY\"}"));
            assertThat(keys.path("self_signing_keys").path(USER).path("keys"))
                    .isEqualTo(JSON.readTree("{\"ed25519:SELFKEY\":\"SELFKEY\"}"));
            assertThat(keys.path("device_keys")
                            .path(USER)
                            .path(DEVICE)
                            .path("signatures")
                            .path(USER)
                            .path("ed25519:SELFKEY")
                            .asText())
                    .isEqualTo("devicesig");
        } finally {
            served.stop().run();
        }
    }

    private static String key(String usage, String publicKey, String signedBy) {
        String signatures =
                signedBy == null ? "" : ",\"signatures\":{\"" + USER + "\":{\"ed25519:" + signedBy + "\":\"sig\"}}";
        return "{\"user_id\":\"" + USER + "\",\"usage\":[\"" + usage + "\"],\"keys\":{\"ed25519:" + publicKey + "\":\""
                + publicKey + "\"}" + signatures + "}";
    }
}
