package dev.myelin.server.api.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import dev.myelin.testing.appservice.AppServiceRegistration;
import dev.myelin.testing.appservice.TestAppService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A homeserver on the system clock with one application service ("irc": users {@code @irc_.*},
 * aliases {@code #irc_.*}, both exclusive; sender {@code ircbot}) served over loopback HTTP, and
 * requests made with the service's token.
 */
final class AppServiceFixture implements AutoCloseable {
    static final String AS_TOKEN = "as-token-irc";
    static final String HS_TOKEN = "hs-token-irc";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final TestAppService bridge;
    final LoopbackAppService http;
    final TestHomeserver hs;
    private final Path registrationFile;

    private AppServiceFixture(
            TestAppService bridge, LoopbackAppService http, TestHomeserver hs, Path registrationFile) {
        this.bridge = bridge;
        this.http = http;
        this.hs = hs;
        this.registrationFile = registrationFile;
    }

    static AppServiceFixture start(boolean receiveEphemeral) {
        // the registration names the url, so the port is chosen (by binding once) before the service exists
        LoopbackAppService probe =
                new LoopbackAppService(TestAppService.of(registration("http://127.0.0.1:1", false)), 0);
        int port = probe.start().getPort();
        probe.stop();
        TestAppService service = TestAppService.of(registration("http://127.0.0.1:" + port, receiveEphemeral));
        LoopbackAppService http = new LoopbackAppService(service, port);
        http.start();
        try {
            Path file = Files.createTempFile("myelin-as-", ".yaml");
            Files.writeString(file, service.registration().toYaml());
            TestHomeserver hs = TestHomeserver.builder()
                    .wallClock()
                    .config("app_service_config_files", "['" + file + "']")
                    .start();
            return new AppServiceFixture(service, http, hs, file);
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static AppServiceRegistration registration(String url, boolean receiveEphemeral) {
        return AppServiceRegistration.builder("irc")
                .url(url)
                .asToken(AS_TOKEN)
                .hsToken(HS_TOKEN)
                .senderLocalpart("ircbot")
                .exclusiveUsers("@irc_.*:" + TestHomeserver.DEFAULT_SERVER_NAME.replace(".", "\\."))
                .exclusiveAliases("#irc_.*:" + TestHomeserver.DEFAULT_SERVER_NAME.replace(".", "\\."))
                .receiveEphemeral(receiveEphemeral)
                .build();
    }

    String userId(String localpart) {
        return "@" + localpart + ":" + hs.serverName();
    }

    /** A request with the service's token, as {@code asUser} when not null. */
    TestResponse as(String method, String path, String asUser, Object body) {
        String separator = path.contains("?") ? "&" : "?";
        String withToken = path + separator + "access_token=" + encode(AS_TOKEN)
                + (asUser == null ? "" : "&user_id=" + encode(asUser));
        return hs.anonymous().request(method, withToken, body);
    }

    /** Registers a user of the namespace with {@code m.login.application_service}. */
    TestResponse registerGhost(String localpart) {
        ObjectNode body = NODES.objectNode()
                .put("type", "m.login.application_service")
                .put("username", localpart)
                .put("inhibit_login", true);
        return as("POST", "/_matrix/client/v3/register", null, body);
    }

    TestClient user(String localpart) {
        return hs.registerUser(localpart);
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            hs.close();
        } finally {
            http.close();
            try {
                Files.deleteIfExists(registrationFile);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }
}
