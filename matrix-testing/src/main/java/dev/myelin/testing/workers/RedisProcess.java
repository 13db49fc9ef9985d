package dev.myelin.testing.workers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A Redis server as a child process on a free {@code 127.0.0.1} port, for tests: the system's
 * {@code redis-server} (Debian's package installs {@code /usr/bin/redis-server}) started with
 * nothing saved to disk ({@code --save '' --appendonly no}), so that a {@link #restart()} comes
 * back empty, as a Redis used only for pub/sub does after a crash.
 *
 * <p>{@link #kill()} ends the server with {@code SIGKILL} by its process handle, {@link #stop()}
 * with {@code SIGTERM}; {@link #restart()} starts it again on the same port, so clients configured
 * with that port reconnect to it. The log goes to {@code redis.log} in the given directory.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.start(dir)) {
 *     connect("127.0.0.1", redis.port());
 *     redis.kill();
 *     redis.restart();
 * }
 * }</pre>
 */
public final class RedisProcess implements AutoCloseable {
    /** Where Debian's {@code redis-server} package puts the binary. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/bin/redis-server");

    private static final Duration READY_WITHIN = Duration.ofSeconds(15);

    private final Path binary;
    private final Path log;
    private final int port;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Process process;

    private RedisProcess(Path binary, Path log, int port) {
        this.binary = binary;
        this.log = log;
        this.port = port;
    }

    /**
     * The {@code redis-server} binary: {@link #DEBIAN_BINARY}, else the first one on the
     * {@code PATH}; empty when there is none (tests needing Redis then skip themselves).
     */
    public static Optional<Path> findBinary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the system's Redis on a free loopback port, logging to {@code dir/redis.log}, and
     * returns once it answers {@code PING}.
     *
     * @throws IOException when there is no {@code redis-server} or it does not come up
     */
    public static RedisProcess start(Path dir) throws IOException {
        Path binary = findBinary()
                .orElseThrow(() -> new IOException("no redis-server: install Debian's redis-server package"));
        return start(binary, dir, FreePorts.next());
    }

    /** Starts {@code binary} on {@code port} as {@link #start(Path)} does. */
    public static RedisProcess start(Path binary, Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        RedisProcess redis = new RedisProcess(binary, dir.resolve("redis.log"), port);
        redis.restart();
        return redis;
    }

    /** {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The port, the same across restarts. */
    public int port() {
        return port;
    }

    /** Whether the server process is running. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The PID of the running server process. */
    public long pid() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("redis is not running");
        }
        return p.pid();
    }

    /** Ends the server with {@code SIGKILL} and waits until it is gone; nothing if it is not running. */
    public void kill() {
        lock.lock();
        try {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
                ProcessStop.awaitExit(p);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the server with {@code SIGTERM} (then {@code SIGKILL} if it has not exited within 10 s)
     * and waits until it is gone; nothing if it is not running.
     */
    public void stop() {
        lock.lock();
        try {
            Process p = process;
            if (p != null) {
                ProcessStop.gently(p);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the server again on the same port (stopping it first if it is running) and returns
     * once it answers {@code PING}. Binding may fail for a moment after a kill, so a server that
     * exits at once is started again, for at most 15 s.
     */
    public void restart() throws IOException {
        lock.lock();
        try {
            stop();
            long deadline = System.nanoTime() + READY_WITHIN.toNanos();
            while (true) {
                Process p = new ProcessBuilder(command())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                process = p;
                if (awaitPong(p, deadline)) {
                    return;
                }
                p.destroyForcibly();
                ProcessStop.awaitExit(p);
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not answer PING on port " + port + " within "
                            + READY_WITHIN.toSeconds() + " s; its log:\n" + WorkerProcess.tail(log, 30));
                }
                sleep(200);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the server ({@link #stop()}). */
    @Override
    public void close() {
        stop();
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--port");
        command.add(Integer.toString(port));
        command.add("--bind");
        command.add("127.0.0.1");
        command.add("--save");
        command.add("");
        command.add("--appendonly");
        command.add("no");
        command.add("--daemonize");
        command.add("no");
        command.add("--dir");
        command.add(log.getParent().toAbsolutePath().toString());
        return command;
    }

    /** Whether {@code p} answers {@code PING} before the deadline; false as soon as it exits. */
    private boolean awaitPong(Process p, long deadline) {
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            if (ping()) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    private boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
