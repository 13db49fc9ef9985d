package dev.myelin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code test-server} as a script in another language runs it: a separate JVM, the ready line on
 * its standard output, SIGTERM to stop it, and nothing left behind in the temporary directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestServerProcessTest {
    private static final Pattern READY = Pattern.compile("myelin test-server ready at (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path tmp;

    private Process process;

    @AfterEach
    void killLeftover() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void printsReadyServesAndStopsCleanlyOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(List.of(
                        java,
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.myelin.server.Main",
                        "test-server",
                        "--port",
                        "0",
                        "--fake-clock"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher ready = READY.matcher(line);
                    if (ready.find()) {
                        return ready.group(1);
                    }
                }
                throw new IllegalStateException("the process ended without a ready line");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String base = url.get(60, TimeUnit.SECONDS);
        // keep reading so that the child never blocks on a full pipe
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) {
                    // the access log
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> clock = http.send(
                HttpRequest.newBuilder(URI.create(base + "/_myelin/test/v1/clock"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(clock.statusCode()).isEqualTo(200);
        assertThat(clock.body()).contains("\"now_ms\":");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.toList()).as("its temporary files").isNotEmpty();
        }

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hooks ran
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.filter(p -> !p.equals(tmp)).toList())
                    .as("left behind")
                    .isEmpty();
        }
    }

    @Test
    void aTakenPortIsAFailureThatSaysSo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = new Cli(
                            new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                            (server, stop) -> stop.run(),
                            Path.of(""),
                            HttpClient.newBuilder()
                                    .connectTimeout(Duration.ofSeconds(5))
                                    .build())
                    .run("test-server", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("cannot start the test server on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
