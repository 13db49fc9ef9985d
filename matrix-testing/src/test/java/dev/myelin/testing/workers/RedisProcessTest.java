package dev.myelin.testing.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis child process: killed by its PID and started again on the same port, empty. */
class RedisProcessTest {
    @TempDir
    Path dir;

    @Test
    void killedAndRestartedOnTheSamePortWithNothingKept() throws Exception {
        assumeTrue(RedisProcess.findBinary().isPresent(), "redis-server is not installed");
        try (RedisProcess redis = RedisProcess.start(dir)) {
            int port = redis.port();
            long pid = redis.pid();
            assertThat(command(port, "SET k v")).isEqualTo("+OK");
            assertThat(command(port, "GET k")).isEqualTo("$1");

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));

            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(pid);
            assertThat(command(port, "GET k"))
                    .as("nothing saved across the kill")
                    .isEqualTo("$-1");

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
        }
    }

    /** Sends one inline command and returns the first line of the answer. */
    private static String command(int port, String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = socket.getInputStream().read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
