package dev.myelin.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@SuppressWarnings("try") // scopes are held only for their block
class LogContextTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.myelin.test.LogContextTest");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void attach() {
        MDC.clear();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        MDC.clear();
    }

    @Test
    void lineLoggedInATaskSpawnedForARequestCarriesTheRequestId() throws Exception {
        try (ExecutorService executor = LogContext.propagating(Executors.newVirtualThreadPerTaskExecutor())) {
            try (LogContext.Scope scope = LogContext.open("req-1", "@alice:example.org")) {
                executor.submit(() -> logger.info("fetching keys")).get(5, TimeUnit.SECONDS);
            }
            executor.submit(() -> logger.info("after the request")).get(5, TimeUnit.SECONDS);
        }
        List<Map<String, String>> contexts = mdcOfEachLine();
        assertThat(contexts.get(0))
                .containsEntry(LogContext.REQUEST_ID, "req-1")
                .containsEntry(LogContext.USER_ID, "@alice:example.org");
        assertThat(contexts.get(1)).doesNotContainKey(LogContext.REQUEST_ID);
    }

    @Test
    void contextDoesNotLeakAfterTheScopeCloses() {
        try (LogContext.Scope scope = LogContext.open("req-2")) {
            logger.info("inside");
        }
        logger.info("outside");
        assertThat(mdcOfEachLine().get(0))
                .containsEntry(LogContext.REQUEST_ID, "req-2")
                .doesNotContainKey(LogContext.USER_ID);
        assertThat(mdcOfEachLine().get(1)).isEmpty();
        assertThat(LogContext.requestId()).isEmpty();
    }

    @Test
    void nestedScopesRestoreTheOuterContext() {
        try (LogContext.Scope worker = LogContext.openWorker("sync-1")) {
            try (LogContext.Scope request = LogContext.open("req-3", "@bob:example.org")) {
                assertThat(LogContext.worker()).contains("sync-1");
                assertThat(LogContext.requestId()).contains("req-3");
            }
            assertThat(LogContext.requestId()).isEmpty();
            assertThat(LogContext.worker()).contains("sync-1");
        }
        assertThat(LogContext.worker()).isEmpty();
    }

    @Test
    void wrappedTaskRunsInTheContextItWasCreatedIn() throws Exception {
        Runnable runnable;
        Callable<String> callable;
        try (LogContext.Scope scope = LogContext.open("req-4", "@carol:example.org")) {
            runnable = LogContext.wrap(() -> logger.info("runnable"));
            callable = LogContext.wrap(() -> LogContext.requestId().orElseThrow());
        }
        Thread thread = Thread.ofVirtual().start(runnable);
        thread.join();
        assertThat(mdcOfEachLine().get(0)).containsEntry(LogContext.REQUEST_ID, "req-4");
        assertThat(callable.call()).isEqualTo("req-4");
        // running the task did not leave its context on this thread
        assertThat(LogContext.requestId()).isEmpty();
    }

    @Test
    void taskOnAPooledThreadDoesNotInheritAnEarlierTasksContext() throws Exception {
        try (ExecutorService executor = LogContext.propagating(Executors.newSingleThreadExecutor())) {
            try (LogContext.Scope scope = LogContext.open("req-5", "@dave:example.org")) {
                executor.submit(() -> logger.info("first")).get(5, TimeUnit.SECONDS);
            }
            executor.submit(() -> logger.info("second")).get(5, TimeUnit.SECONDS);
            Callable<Optional<String>> readRequestId = LogContext::requestId;
            assertThat(executor.invokeAll(List.of(readRequestId)).get(0).get()).isEmpty();
        }
        assertThat(mdcOfEachLine().get(0)).containsEntry(LogContext.REQUEST_ID, "req-5");
        assertThat(mdcOfEachLine().get(1)).isEmpty();
    }

    private List<Map<String, String>> mdcOfEachLine() {
        return appender.list.stream().map(ILoggingEvent::getMDCPropertyMap).toList();
    }
}
