package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.server.Homeserver;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpTester;

/**
 * A real homeserver in this JVM, on a {@link FakeClock} and a fresh database, reached through
 * Jetty's in-memory connector (no sockets). Build one with {@link #builder()}, or let
 * {@link HomeserverExtension} manage it per test.
 *
 * <pre>{@code
 * try (TestHomeserver hs = TestHomeserver.builder().start()) {
 *     TestClient alice = hs.registerUser("alice");
 *     String room = alice.createRoom(null);
 *     alice.sendMessage(room, "hello");
 * }
 * }</pre>
 */
public final class TestHomeserver implements AutoCloseable {
    /** The server name test homeservers use unless told otherwise. */
    public static final String DEFAULT_SERVER_NAME = "test.local";
    /** Test passwords are hashed with the lowest sensible BCrypt cost: hashing is slow on purpose. */
    static final int TEST_BCRYPT_COST = 4;

    private final Homeserver homeserver;
    private final FakeClock clock;
    /** A media store made for this server alone, deleted on close; empty when a test chose the path. */
    private final Optional<Path> ownMediaStore;

    private TestHomeserver(Homeserver homeserver, FakeClock clock, Optional<Path> ownMediaStore) {
        this.homeserver = homeserver;
        this.clock = clock;
        this.ownMediaStore = ownMediaStore;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a test homeserver; every setting has a test-friendly default. */
    public static final class Builder {
        private String serverName = DEFAULT_SERVER_NAME;
        private final Map<String, String> config = new LinkedHashMap<>();
        private TestDatabases.Kind database = TestDatabases.Kind.SQLITE;
        private Instant startTime = Instant.parse("2026-01-01T00:00:00Z");

        private Builder() {
            config.put("enable_registration", "true");
            config.put("enable_registration_without_verification", "true");
            config.put("registration_shared_secret", "'test-shared-secret'");
            // Rate limits are off unless a test turns them on with config(...).
            for (String bucket : new String[] {"rc_message", "rc_registration", "rc_joins", "rc_invites"}) {
                config.put(bucket, "{per_second: 1000000, burst_count: 1000000}");
            }
            config.put("rc_joins", "{local: {per_second: 1000000, burst_count: 1000000}}");
            config.put("rc_invites", "{per_user: {per_second: 1000000, burst_count: 1000000}}");
            config.put("rc_login", "{address: {per_second: 1000000, burst_count: 1000000}, "
                    + "account: {per_second: 1000000, burst_count: 1000000}, "
                    + "failed_attempts: {per_second: 1000000, burst_count: 1000000}}");
        }

        public Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        /** Sets a top-level {@code homeserver.yaml} key to a YAML value, e.g. {@code config("enable_registration", "false")}. */
        public Builder config(String key, String yamlValue) {
            config.put(key, yamlValue);
            return this;
        }

        public Builder database(TestDatabases.Kind kind) {
            this.database = kind;
            return this;
        }

        public Builder startTime(Instant instant) {
            this.startTime = instant;
            return this;
        }

        public TestHomeserver start() {
            Optional<Path> ownMediaStore = Optional.empty();
            if (!config.containsKey("media_store_path")) {
                try {
                    ownMediaStore = Optional.of(Files.createTempDirectory("myelin-test-media-"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                config.put("media_store_path", "'" + ownMediaStore.get() + "'");
            }
            StringBuilder yaml = new StringBuilder("server_name: \"" + serverName + "\"\n");
            yaml.append("public_baseurl: \"http://").append(serverName).append("/\"\n");
            config.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
            HomeserverConfig parsed = new ConfigLoader(warning -> {
                throw new IllegalArgumentException("test homeserver config: " + warning);
            }).parse("test homeserver config", yaml.toString(), Path.of(System.getProperty("java.io.tmpdir")));
            FakeClock clock = new FakeClock(startTime);
            Database db = TestDatabases.fresh(database);
            Homeserver hs = Homeserver.create(parsed, clock, db, SigningKey.generate("test"),
                    new Homeserver.Options(TEST_BCRYPT_COST, true));
            hs.start();
            return new TestHomeserver(hs, clock, ownMediaStore);
        }
    }

    public FakeClock clock() {
        return clock;
    }

    public Homeserver homeserver() {
        return homeserver;
    }

    public String serverName() {
        return homeserver.config().serverName();
    }

    /** A client without an access token. */
    public TestClient anonymous() {
        return new TestClient(this, Optional.empty(), null, null);
    }

    /** Registers {@code localpart} with password {@code "password"} and returns its logged-in client. */
    public TestClient registerUser(String localpart) {
        return registerUser(localpart, "password");
    }

    public TestClient registerUser(String localpart, String password) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("username", localpart).put("password", password);
        body.putObject("auth").put("type", "m.login.dummy");
        JsonNode response = request("POST", "/_matrix/client/v3/register", body, Optional.empty()).expect(200).json();
        return clientFor(response);
    }

    /** Logs in an existing user with a password and returns the new device's client. */
    public TestClient login(String localpart, String password) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "m.login.password").put("password", password);
        body.putObject("identifier").put("type", "m.id.user").put("user", localpart);
        JsonNode response = request("POST", "/_matrix/client/v3/login", body, Optional.empty()).expect(200).json();
        return clientFor(response);
    }

    private TestClient clientFor(JsonNode loginResponse) {
        return new TestClient(this, Optional.of(loginResponse.get("access_token").asText()),
                loginResponse.get("user_id").asText(), loginResponse.get("device_id").asText());
    }

    /**
     * Sends one HTTP request through the in-memory connector. {@code body} may be null, a JSON
     * node (or any object Jackson can write), or a string sent as it is.
     */
    public TestResponse request(String method, String path, Object body, Optional<String> accessToken) {
        HttpTester.Request request = HttpTester.newRequest();
        request.setMethod(method);
        request.setURI(path);
        request.setVersion("HTTP/1.1");
        request.setHeader("Host", serverName());
        request.setHeader("Connection", "close");
        accessToken.ifPresent(token -> request.setHeader("Authorization", "Bearer " + token));
        if (body != null) {
            String text = body instanceof String s ? s : TestResponse.write(body);
            request.setHeader("Content-Type", "application/json");
            request.setContent(text);
        }
        String raw = homeserver.http().localRequest(org.eclipse.jetty.util.BufferUtil.toString(request.generate()));
        HttpTester.Response response = HttpTester.parseResponse(raw);
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : response) {
            headers.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
        }
        return new TestResponse(response.getStatus(), headers, response.getContent() == null ? "" : response.getContent());
    }

    @Override
    public void close() {
        try {
            homeserver.close();
        } finally {
            ownMediaStore.ifPresent(TestHomeserver::deleteTree);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
