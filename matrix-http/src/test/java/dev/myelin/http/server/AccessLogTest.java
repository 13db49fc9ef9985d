package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.MatrixException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log: one line per request, on its own logger, with no secret from the request. */
class AccessLogTest {

    private static final String TOKEN = "syt_secret_token_value";

    private final ManualClock clock = new ManualClock();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.myelin.http.access");
    // the MDC is read from the logging thread, not later from the test's (logback reads it lazily)
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private Level levelBefore;
    private HttpServer server;
    private LocalHttp http;

    @BeforeEach
    void setUp() {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/_matrix/client/v3/account/whoami",
                        AuthRequirement.REQUIRED,
                        req -> MatrixResponse.ok(JsonNodeFactory.instance
                                .objectNode()
                                .put("user_id", req.requireRequester().userId().toString()))))
                .register(Endpoint.of(HttpMethod.GET, "/slow", AuthRequirement.NONE, req -> {
                    clock.advance(Duration.ofMillis(42));
                    return MatrixResponse.ok();
                }))
                .register(Endpoint.of(HttpMethod.GET, "/forbidden", AuthRequirement.REQUIRED, req -> {
                    throw MatrixException.forbidden("no");
                }))
                .register(Endpoint.of(HttpMethod.GET, "/boom", AuthRequirement.NONE, req -> {
                    throw new IllegalStateException("unexpected");
                }));
        server = HttpServer.builder(router, clock)
                .authenticator(token -> {
                    if (!token.equals(TOKEN)) {
                        throw MatrixException.unknownToken("Unrecognised access token", false);
                    }
                    return Requester.user(UserId.parse("@alice:test"), new DeviceId("DEV"));
                })
                .localConnector()
                .build();
        server.start();
        http = new LocalHttp(server);
        // logback-test.xml keeps this logger quiet for the other tests; here every line is wanted.
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.list = new CopyOnWriteArrayList<>();
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(lines);
        logger.setLevel(levelBefore);
        server.stop();
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /**
     * Sends a request and waits for its access line: the line is written once the servlet has
     * handed over the whole response, which the client may already have read by then.
     */
    private void send(String method, String target, String... headers) {
        int before = lines.list.size();
        http.send(method, target, headers);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lines.list.size() == before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access line for " + method + " " + target);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void logsMethodPathStatusDurationAndUserWithoutTheQueryToken() {
        send("GET", "/_matrix/client/v3/account/whoami?access_token=" + TOKEN + "&x=1");

        assertThat(messages()).containsExactly("GET /_matrix/client/v3/account/whoami 200 0ms @alice:test");
        ILoggingEvent line = lines.list.getFirst();
        assertThat(line.getLoggerName()).isEqualTo("dev.myelin.http.access");
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getMDCPropertyMap().get("request_id")).startsWith("GET-");
        assertThat(line.toString()).doesNotContain(TOKEN, "access_token");
        assertThat(line.getMDCPropertyMap().values()).noneMatch(v -> v.contains(TOKEN));
    }

    @Test
    void headerTokenNeverAppearsAndTheUserIsNamed() {
        send("GET", "/_matrix/client/v3/account/whoami", "Authorization: Bearer " + TOKEN);

        assertThat(messages()).containsExactly("GET /_matrix/client/v3/account/whoami 200 0ms @alice:test");
    }

    @Test
    void durationIsMeasuredOnTheServersClock() {
        send("GET", "/slow");

        assertThat(messages()).containsExactly("GET /slow 200 42ms -");
    }

    @Test
    void errorsUnknownPathsAndHeadAreLoggedToo() {
        send("GET", "/nothing/here?access_token=" + TOKEN);
        send("GET", "/_matrix/client/v3/account/whoami?access_token=wrong_" + TOKEN);
        send("GET", "/forbidden", "Authorization: Bearer " + TOKEN);
        send("GET", "/boom");
        send("HEAD", "/slow");
        send("DELETE", "/slow");

        assertThat(messages())
                .containsExactly(
                        "GET /nothing/here 404 0ms -",
                        "GET /_matrix/client/v3/account/whoami 401 0ms -",
                        "GET /forbidden 403 0ms @alice:test",
                        "GET /boom 500 0ms -",
                        "HEAD /slow 200 42ms -",
                        "DELETE /slow 405 0ms -");
        assertThat(lines.list).allSatisfy(line -> assertThat(line.toString()).doesNotContain(TOKEN));
    }

    @Test
    void requestsJettyRefusesBeforeRoutingAreLoggedEncodedWithoutDurationOrUser() {
        // Jetty answers an encoded CR LF in the path with 400 itself; the line keeps it encoded.
        send("GET", "/nothing/forged%20line%0D%0AGET?access_token=" + TOKEN, "Authorization: Bearer " + TOKEN);

        assertThat(messages()).containsExactly("GET /nothing/forged%20line%0D%0AGET 400 - -");
        assertThat(lines.list.getFirst().toString()).doesNotContain(TOKEN);
    }
}
