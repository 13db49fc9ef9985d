package dev.myelin.server.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.myelin.server.handler.media.UrlPreviewHandler;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A blocked URL preview is expected, not an error: it logs one INFO line naming the host, with no
 * stack trace, and nothing else logs a warning for it (the preview cache's library once logged each
 * failed lookup as a WARNING with its trace).
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "url_preview_enabled", value = "true")
class BlockedPreviewLogApiTest {
    private static final String PREVIEW = "/_matrix/client/v1/media/preview_url?url=";

    private final ListAppender<ILoggingEvent> logback = new ListAppender<>();
    private final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
    private final Handler jul = new Handler() {
        @Override
        public void publish(LogRecord record) {
            julRecords.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        logback.start();
        root().addAppender(logback);
        java.util.logging.Logger.getLogger("").addHandler(jul);
    }

    @AfterEach
    void release() {
        root().detachAppender(logback);
        java.util.logging.Logger.getLogger("").removeHandler(jul);
    }

    @Test
    void eachBlockedPreviewLogsOneLineWithoutAStackTrace(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        for (String host : new String[] {"127.0.0.1", "localhost", "[::1]"}) {
            assertThat(alice.get(PREVIEW + TestClient.encode("http://" + host + ":9/page"))
                            .status())
                    .as(host)
                    .isEqualTo(403);
        }

        List<ILoggingEvent> lines = logback.list.stream()
                .filter(e -> e.getLoggerName().equals(UrlPreviewHandler.class.getName()))
                .toList();
        assertThat(lines).hasSize(3);
        assertThat(lines).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getThrowableProxy()).isNull();
            assertThat(e.getFormattedMessage()).contains("refused").contains("is blocked");
        });
        assertThat(logback.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(logback.list).noneMatch(e -> e.getThrowableProxy() != null);
        assertThat(julRecords).noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue());
        assertThat(julRecords).noneMatch(r -> r.getThrown() != null);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
