package dev.myelin.server.cli;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.time.Clock;
import dev.myelin.core.time.ManualClock;
import dev.myelin.core.time.SystemClock;
import dev.myelin.federation.discovery.FederationDns;
import dev.myelin.http.server.HttpFront;
import dev.myelin.server.Homeserver;
import dev.myelin.server.api.testserver.TestControls;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code test-server}: a throwaway homeserver for the tests of bots and bridges in any language.
 * It listens on 127.0.0.1 only, is named {@code localhost}, has open registration (only {@code
 * m.login.dummy}), no rate limits and no federation, and keeps its data in temporary files that
 * are deleted when it stops. {@code --fake-clock} runs it on a clock that moves only when a test
 * says so.
 *
 * <p>The port belongs to an {@link HttpFront}; behind it is one homeserver at a time, built with
 * only an in-memory connector. A reset builds a new homeserver over a new database and points the
 * front at it, then closes the old one: the port and clients' connections stay, and no cache or
 * stream position of the old server can leak into the new one.
 */
final class TestServer implements TestControls {
    private static final Logger LOG = LoggerFactory.getLogger(TestServer.class);

    /** The server name, so that user ids are {@code @name:localhost}. */
    static final String SERVER_NAME = "localhost";

    static final String HOST = "127.0.0.1";

    /** Password hashing as cheap as BCrypt allows: tests register many users, and no hash leaves the machine. */
    private static final int BCRYPT_COST = 4;

    /** How long a reset waits, in real time, for the replaced server's sleeping threads to leave the clock. */
    private static final Duration RETIRE_BOUND = Duration.ofSeconds(5);

    private static final String UNLIMITED = "{per_second: 1000000, burst_count: 1000000}";

    private final Clock clock;
    private final Optional<ManualClock> manualClock;
    private final HttpFront front;
    private final Path workDirectory;
    private final SigningKey signingKey = SigningKey.generate("test");
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Generation current;
    private int generations;

    /** One homeserver behind the front, with what it alone owns. */
    private record Generation(Homeserver server, GenerationClock clock, DatabaseConfig database, Path directory) {}

    private TestServer(Optional<ManualClock> manualClock, int port, Path workDirectory) {
        this.manualClock = manualClock;
        this.clock = manualClock.<Clock>map(c -> c).orElse(SystemClock.INSTANCE);
        this.front = new HttpFront(HOST, port);
        this.workDirectory = workDirectory;
    }

    /**
     * Starts a test server on 127.0.0.1:{@code port} (0 for one the system picks).
     *
     * @param fakeClock run on a clock that starts at the current time and moves only when advanced
     * @throws ServerRunner.StartupException if the port cannot be bound or the server not built
     */
    static TestServer start(int port, boolean fakeClock) {
        Optional<ManualClock> clock = fakeClock
                ? Optional.of(new ManualClock(Instant.ofEpochMilli(SystemClock.INSTANCE.nowMillis())))
                : Optional.empty();
        Path dir;
        try {
            dir = Files.createTempDirectory("myelin-test-server-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        TestServer server = new TestServer(clock, port, dir);
        try {
            // listening first (answering 404 for a moment) makes the actual port known to the config
            server.front.start();
            server.lock.lock();
            try {
                server.current = server.build();
                server.front.serve(server.current.server().http());
            } finally {
                server.lock.unlock();
            }
        } catch (RuntimeException e) {
            server.stop();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ServerRunner.StartupException(
                    "cannot start the test server on " + ServerRunner.hostPort(HOST, port) + ": " + cause.getMessage());
        }
        return server;
    }

    /** The URL clients use, with the actual port. */
    String baseUrl() {
        return "http://" + ServerRunner.hostPort(HOST, front.port());
    }

    /** The homeserver serving requests now (a reset replaces it). */
    Homeserver homeserver() {
        lock.lock();
        try {
            return current.server();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ManualClock> clock() {
        return manualClock;
    }

    @Override
    public void reset() {
        lock.lock();
        try {
            if (stopped.get()) {
                throw new IllegalStateException("the test server is stopping");
            }
            Generation old = current;
            current = build();
            front.serve(current.server().http());
            // the old server's timers leave the shared clock before the reset answers
            old.clock().retire(RETIRE_BOUND);
            // after this request (a reset is one) and the old server's others have finished
            Thread.ofVirtual().name("test-server-retire").start(() -> retire(old));
        } finally {
            lock.unlock();
        }
    }

    /** Stops listening, closes the homeserver and deletes every file; safe to call twice. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            // first the homeserver: its shutdown answers waiting long-polls, which the front then need not wait for
            if (current != null) {
                retire(current);
            }
            front.stop();
        } finally {
            lock.unlock();
            deleteTree(workDirectory);
        }
    }

    /** A new homeserver over a new database, started (in memory only) but not yet served. */
    private Generation build() {
        Path dir = workDirectory.resolve("server-" + ++generations);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        HomeserverConfig config = new ConfigLoader(warning -> LOG.warn("test server config: {}", warning))
                .parse("test server config", yaml(), dir);
        DatabaseConfig databaseConfig = TestDatabases.freshConfig(TestDatabases.Kind.SQLITE);
        Database database = Database.open(databaseConfig);
        GenerationClock generationClock = new GenerationClock(clock);
        Homeserver server;
        try {
            server = Homeserver.create(
                    config,
                    generationClock,
                    database,
                    signingKey,
                    new Homeserver.Options(BCRYPT_COST, true, true, FederationDns.none()).withTestControls(this));
        } catch (RuntimeException e) {
            database.close();
            TestDatabases.discard(databaseConfig);
            throw e;
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            TestDatabases.discard(databaseConfig);
            throw e;
        }
        return new Generation(server, generationClock, databaseConfig, dir);
    }

    private void retire(Generation generation) {
        try {
            generation.server().close();
        } catch (RuntimeException e) {
            LOG.warn("closing a replaced test homeserver failed: {}", e.toString());
        } finally {
            // after the close, which lets the old server's requests finish on its clock
            generation.clock().retire(RETIRE_BOUND);
            TestDatabases.discard(generation.database());
            deleteTree(generation.directory());
        }
    }

    private String yaml() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("server_name: \"").append(SERVER_NAME).append("\"\n");
        yaml.append("public_baseurl: \"").append(baseUrl()).append("/\"\n");
        yaml.append("enable_registration: true\n");
        yaml.append("enable_registration_without_verification: true\n");
        yaml.append("bcrypt_rounds: ").append(BCRYPT_COST).append('\n');
        // a test server asks no other server for anything, matrix.org's key notary included
        yaml.append("trusted_key_servers: []\n");
        for (String bucket : new String[] {
            "rc_message",
            "rc_registration",
            "rc_room_creation",
            "rc_media_create",
            "rc_reports",
            "rc_to_device",
            "rc_typing"
        }) {
            yaml.append(bucket).append(": ").append(UNLIMITED).append('\n');
        }
        yaml.append("rc_presence: {per_user: ").append(UNLIMITED).append("}\n");
        yaml.append("rc_joins: {local: ").append(UNLIMITED).append("}\n");
        yaml.append("rc_invites: {per_room: ")
                .append(UNLIMITED)
                .append(", per_user: ")
                .append(UNLIMITED)
                .append(", per_issuer: ")
                .append(UNLIMITED)
                .append("}\n");
        yaml.append("rc_login: {address: ")
                .append(UNLIMITED)
                .append(", account: ")
                .append(UNLIMITED)
                .append(", failed_attempts: ")
                .append(UNLIMITED)
                .append("}\n");
        return yaml.toString();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}: {}", root, e.toString());
        }
    }
}
