package dev.myelin.testing.workers;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One homeserver process of a {@link WorkerDeployment}: its command line (the jar with the shared
 * config and its own), its port, and its log file, which every start appends to so that what a
 * process logged before it was killed stays readable.
 */
final class WorkerProcess {
    private static final String VERSIONS = "/_matrix/client/versions";

    private final String name;
    private final WorkerRole role;
    private final List<String> command;
    private final Path directory;
    private final Path log;
    private final int port;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable Process process;

    WorkerProcess(String name, WorkerRole role, List<String> command, Path directory, int port) {
        this.name = name;
        this.role = role;
        this.command = List.copyOf(command);
        this.directory = directory;
        this.log = directory.resolve(name + ".log");
        this.port = port;
    }

    String name() {
        return name;
    }

    WorkerRole role() {
        return role;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    long pid() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return p.pid();
    }

    /** Starts the process; {@link #awaitReady} then waits until it serves requests. */
    void start() throws IOException {
        lock.lock();
        try {
            if (isRunning()) {
                throw new IllegalStateException(name + " is already running");
            }
            Files.writeString(
                    log,
                    "---- starting " + name + ": " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the process answers {@code GET /_matrix/client/versions} with 200.
     *
     * @throws IOException when it exits first or does not answer in time; the message holds the
     *     end of its log
     */
    void awaitReady(HttpClient http, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpRequest versions = HttpRequest.newBuilder(URI.create(url() + VERSIONS))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (true) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new IOException(name + " exited"
                        + (p == null ? "" : " with status " + p.exitValue()) + " before it served requests; "
                        + log + " ends with:\n" + tail(log, 40));
            }
            try {
                if (http.send(versions, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " did not answer " + VERSIONS + " on port " + port + " within "
                        + within.toSeconds() + " s; " + log + " ends with:\n" + tail(log, 40));
            }
            Thread.sleep(100);
        }
    }

    /** {@code SIGKILL}, then waits until the process is gone. */
    void kill() {
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

    /** {@code SIGTERM}, {@code SIGKILL} after 10 s, then waits until the process is gone. */
    void stop() {
        lock.lock();
        try {
            Process p = process;
            if (p != null && p.isAlive()) {
                ProcessStop.gently(p);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The last {@code lines} lines of a log file (at most its last 64 KiB), for failure messages. */
    static String tail(Path file, int lines) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] all = text.split("\n", -1);
            int from = Math.max(0, all.length - lines - 1);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
