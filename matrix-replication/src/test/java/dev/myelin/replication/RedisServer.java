package dev.myelin.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server process of the test's own, on a free loopback port, without persistence; it is
 * stopped, killed, suspended and restarted by its PID only.
 */
final class RedisServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(Path dir, int port, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    static void assumeInstalled() {
        assumeTrue(
                Files.isExecutable(BINARY),
                "redis-server is not installed at " + BINARY + " (Debian package redis-server)");
    }

    /** A server on a free port, not yet running. */
    static RedisServer onFreePort(Path dir, String... extraArgs) throws IOException {
        assumeInstalled();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new RedisServer(dir, probe.getLocalPort(), List.of(extraArgs));
        }
    }

    /** A running server on a free port. */
    static RedisServer started(Path dir, String... extraArgs) throws Exception {
        for (int attempt = 1; ; attempt++) {
            RedisServer server = onFreePort(dir, extraArgs);
            try {
                server.start();
                return server;
            } catch (IOException e) {
                // another process took the port between the probe and the start
                server.close();
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Starts the process (again) on this server's port and waits until it accepts connections. */
    void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                dir.toString()));
        command.addAll(extraArgs);
        Path log = dir.resolve("redis-" + port + ".log");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    /** SIGKILL by PID: the server vanishes without a goodbye, as in a crash. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** SIGSTOP: connections stay open but nothing answers, as with a hung server. */
    void suspend() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Override
    public void close() throws IOException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly(); // SIGKILL ends a suspended process too
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping redis-server", e);
            }
        }
    }
}
