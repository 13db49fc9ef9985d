package dev.myelin.http.server;

import static dev.myelin.http.server.LocalHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.ratelimit.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MatrixServerTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SEND = "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}";

    private final ManualClock clock = new ManualClock();
    private HttpServer server;
    private LocalHttp http;

    static Router router() {
        return new Router()
                .register(Endpoint.of(HttpMethod.PUT, SEND, AuthRequirement.REQUIRED, "message", req -> {
                    ObjectNode body = NODES.objectNode();
                    body.put("user_id", req.requireRequester().userId().toString());
                    body.put("room_id", req.pathParam("roomId"));
                    body.put("event_type", req.pathParam("eventType"));
                    body.put("txn_id", req.pathParam("txnId"));
                    body.set("content", req.jsonObject());
                    return MatrixResponse.ok(body);
                }))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}",
                        AuthRequirement.NONE,
                        req -> {
                            ObjectNode body = NODES.objectNode();
                            req.pathParams().forEach(body::put);
                            return MatrixResponse.ok(body);
                        }))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/_matrix/client/v3/rooms/{roomId}/state/m.room.create/",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(NODES.objectNode().put("literal", true))))
                .register(Endpoint.of(HttpMethod.GET, "/args", AuthRequirement.NONE, MatrixServerTest::echoArgs))
                .register(Endpoint.of(HttpMethod.POST, "/args", AuthRequirement.NONE, MatrixServerTest::echoArgs))
                .register(Endpoint.of(
                        HttpMethod.POST, "/json", AuthRequirement.NONE, req -> MatrixResponse.ok(req.jsonObject())))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/whoami",
                        AuthRequirement.OPTIONAL,
                        req -> MatrixResponse.ok(NODES.objectNode()
                                .put(
                                        "user_id",
                                        req.requester()
                                                .map(r -> r.userId().toString())
                                                .orElse(null)))))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ip",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(NODES.objectNode().put("ip", req.clientIp()))))
                .register(Endpoint.of(HttpMethod.POST, "/uia", AuthRequirement.NONE, req -> {
                    throw MatrixException.authRequired((ObjectNode)
                            json("{\"flows\":[{\"stages\":[\"m.login.dummy\"]}],\"params\":{},\"session\":\"s1\"}"));
                }))
                .register(Endpoint.of(HttpMethod.GET, "/boom", AuthRequirement.NONE, req -> {
                    throw new IllegalStateException("secret internal detail");
                }))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/thread",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(NODES.objectNode()
                                .put("virtual", Thread.currentThread().isVirtual()))))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/cookie",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(NODES.objectNode()
                                        .put("session", req.cookie("session").orElse(null)))
                                .withCookie(MatrixResponse.Cookie.of("reply", "v1", "/"))));
    }

    private static MatrixResponse echoArgs(MatrixRequest req) {
        ObjectNode body = NODES.objectNode();
        req.args().forEach((k, values) -> {
            var array = body.putArray(k);
            values.forEach(array::add);
        });
        return MatrixResponse.ok(body);
    }

    static Requester authenticate(String token) {
        if (token.equals("alice_token")) {
            return Requester.user(UserId.parse("@alice:test"), new DeviceId("ALICEDEV"));
        }
        if (token.equals("bob_token")) {
            return Requester.user(UserId.parse("@bob:test"), new DeviceId("BOBDEV"));
        }
        throw MatrixException.unknownToken("Unrecognised access token", false);
    }

    private HttpServer start(boolean trustForwardedFor) {
        HttpServer s = HttpServer.builder(router(), clock)
                .authenticator(MatrixServerTest::authenticate)
                .rateLimit("message", new RateLimit(1, 3))
                .maxBodyBytes(100)
                .trustForwardedFor(trustForwardedFor)
                .localConnector()
                .build();
        s.start();
        return s;
    }

    @BeforeEach
    void setUp() {
        server = start(false);
        http = new LocalHttp(server);
    }

    @AfterEach
    void tearDown() {
        server.stop();
    }

    private LocalHttp.Reply send(String path, String body, String... headers) {
        return http.sendBody("PUT", path, body, headers);
    }

    @Test
    void routesToEndpointWithDecodedPathParams() {
        var reply = send(
                "/_matrix/client/v3/rooms/!room:test/send/m.room.message/txn1",
                "{\"body\":\"hi\"}",
                "Authorization: Bearer alice_token",
                "Content-Type: application/json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json()).isEqualTo(json("""
                {"user_id":"@alice:test","room_id":"!room:test","event_type":"m.room.message",
                 "txn_id":"txn1","content":{"body":"hi"}}"""));
    }

    @Test
    void encodedSlashStaysInsideOnePathParam() {
        var reply = http.send("GET", "/_matrix/client/v3/rooms/%21abc%3Atest/state/m.room.member/%40a%2Fb%3Atest");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(json("""
                {"roomId":"!abc:test","eventType":"m.room.member","stateKey":"@a/b:test"}"""));
    }

    @Test
    void encodedSlashInTxnIdIsDecoded() {
        var reply = send(
                "/_matrix/client/v3/rooms/!r:test/send/m.room.message/a%2Fb%20c+d",
                "{}", "Authorization: Bearer alice_token");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("txn_id").asText()).isEqualTo("a/b c+d");
    }

    @Test
    void emptyTrailingSegmentMatchesEmptyParamButLiteralTemplateWins() {
        assertThat(http.send("GET", "/_matrix/client/v3/rooms/!r:test/state/m.room.name/")
                        .json())
                .isEqualTo(json("{\"roomId\":\"!r:test\",\"eventType\":\"m.room.name\",\"stateKey\":\"\"}"));
        assertThat(http.send("GET", "/_matrix/client/v3/rooms/!r:test/state/m.room.create/")
                        .json())
                .isEqualTo(json("{\"literal\":true}"));
    }

    @Test
    void malformedPercentEncodingIs400MatrixError() {
        for (String target : List.of(
                "/_matrix/client/v3/rooms/%ZZ/state/m.room.name/x",
                "/_matrix/client/v3/rooms/%C3%28/state/m.room.name/x")) {
            var reply = http.send("GET", target);

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("errcode").asText()).isIn("M_INVALID_PARAM", "M_UNKNOWN");
            assertThat(reply.body()).doesNotContain("<html");
        }
    }

    @Test
    void rejectedUriIsAMatrixErrorForEveryMethod() {
        // Jetty rejects an empty segment before routing; by default it wrote an error body only
        // for GET, POST and HEAD, so a PUT or DELETE got an empty 400.
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            var reply = http.send(method, "/_matrix/client/v3/rooms//state/m.room.name/x");

            assertThat(reply.status()).as(method).isEqualTo(400);
            assertThat(reply.json())
                    .as(method)
                    .isEqualTo(json("{\"errcode\":\"M_UNKNOWN\",\"error\":\"Bad request\"}"));
        }
    }

    @Test
    void userInteractiveAuthIsAnsweredWithItsWholeBody() {
        var reply = http.sendBody("POST", "/uia", "{}");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json())
                .isEqualTo(json("{\"flows\":[{\"stages\":[\"m.login.dummy\"]}],\"params\":{},\"session\":\"s1\"}"));
    }

    @Test
    void unknownPathIs404Unrecognized() {
        var reply = http.send("GET", "/_matrix/client/v3/nothing/here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json()).isEqualTo(json("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}"));
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void knownPathWithWrongMethodIs405Unrecognized() {
        var reply = http.send("DELETE", "/json");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.json()).isEqualTo(json("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}"));
    }

    @Test
    void optionsPreflightOnKnownPathAnswersCorsWithoutRunningEndpoint() {
        var reply = http.send(
                "OPTIONS",
                "/_matrix/client/v3/rooms/!r:test/send/m.room.message/t1",
                "Origin: https://app.example",
                "Access-Control-Request-Method: PUT");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(json("{}"));
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(reply.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, PUT, DELETE, OPTIONS");
        assertThat(reply.header("Access-Control-Allow-Headers"))
                .isEqualTo("X-Requested-With, Content-Type, Authorization");
    }

    @Test
    void corsHeadersOnEveryResponseIncludingErrors() {
        for (var reply : List.of(http.send("GET", "/ip"), http.send("GET", "/boom"), http.send("GET", "/nope"))) {
            assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(reply.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, PUT, DELETE, OPTIONS");
            assertThat(reply.header("Access-Control-Allow-Headers"))
                    .isEqualTo("X-Requested-With, Content-Type, Authorization");
        }
    }

    @Test
    void missingTokenIs401MissingToken() {
        var reply = send("/_matrix/client/v3/rooms/!r:test/send/m.room.message/t1", "{}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json())
                .isEqualTo(json("{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Missing access token\"}"));
    }

    @Test
    void unknownTokenIs401UnknownToken() {
        var reply =
                send("/_matrix/client/v3/rooms/!r:test/send/m.room.message/t1", "{}", "Authorization: Bearer stolen");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json())
                .isEqualTo(
                        json(
                                "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Unrecognised access token\",\"soft_logout\":false}"));
    }

    @Test
    void deprecatedAccessTokenQueryParamIsAccepted() {
        var reply = send("/_matrix/client/v3/rooms/!r:test/send/m.room.message/t1?access_token=alice_token", "{}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("user_id").asText()).isEqualTo("@alice:test");
    }

    @Test
    void optionalAuthWorksWithAndWithoutToken() {
        assertThat(http.send("GET", "/whoami").json()).isEqualTo(json("{\"user_id\":null}"));
        assertThat(http.send("GET", "/whoami", "Authorization: Bearer bob_token")
                        .json())
                .isEqualTo(json("{\"user_id\":\"@bob:test\"}"));
        assertThat(http.send("GET", "/whoami", "Authorization: Bearer bad").status())
                .isEqualTo(401);
    }

    @Test
    void rateLimitAllowsBurstThenRefusesUntilExactlyOneIntervalPassed() {
        String path = "/_matrix/client/v3/rooms/!r:test/send/m.room.message/t";
        for (int i = 0; i < 3; i++) {
            assertThat(send(path + i, "{}", "Authorization: Bearer alice_token").status())
                    .isEqualTo(200);
        }

        var limited = send(path + "3", "{}", "Authorization: Bearer alice_token");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json())
                .isEqualTo(json(
                        "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":1000}"));
        assertThat(limited.header("Retry-After")).isEqualTo("1");

        clock.advance(Duration.ofMillis(999));
        var stillLimited = send(path + "4", "{}", "Authorization: Bearer alice_token");
        assertThat(stillLimited.json().get("retry_after_ms").asLong()).isEqualTo(1);

        // another user has their own bucket
        assertThat(send(path + "5", "{}", "Authorization: Bearer bob_token").status())
                .isEqualTo(200);

        clock.advance(Duration.ofMillis(1));
        assertThat(send(path + "6", "{}", "Authorization: Bearer alice_token").status())
                .isEqualTo(200);
        assertThat(send(path + "7", "{}", "Authorization: Bearer alice_token").status())
                .isEqualTo(429);
    }

    @Test
    void unmappedExceptionIs500UnknownWithoutDetailAndIsLoggedWithRequestId() {
        Logger logger = (Logger) LoggerFactory.getLogger(MatrixServlet.class);
        // the MDC is read from the logging thread, not later from the test's (logback reads it lazily)
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                super.append(event);
            }
        };
        appender.start();
        logger.addAppender(appender);
        try {
            var reply = http.send("GET", "/boom");

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.json()).isEqualTo(json("{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal server error\"}"));
            assertThat(reply.body()).doesNotContain("secret", "Exception", "at dev.", "<html");
            assertThat(appender.list).hasSize(1);
            ILoggingEvent event = appender.list.getFirst();
            assertThat(event.getMDCPropertyMap()).containsKey("request_id");
            assertThat(event.getMDCPropertyMap().get("request_id")).startsWith("GET-");
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("secret internal detail");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void repeatedQueryParamsAreKeptInOrder() {
        var reply = http.send("GET", "/args?dir=b&from=s1&types=m.a&types=m.b&types=m%2Ec+d&empty");

        assertThat(reply.json()).isEqualTo(json("""
                {"dir":["b"],"from":["s1"],"types":["m.a","m.b","m.c d"],"empty":[""]}"""));
    }

    @Test
    void formBodyIsMergedIntoArgsAfterQuery() {
        var reply = http.sendBody(
                "POST", "/args?a=1", "a=2&b=x+y&c=%26", "Content-Type: application/x-www-form-urlencoded");

        assertThat(reply.json()).isEqualTo(json("{\"a\":[\"1\",\"2\"],\"b\":[\"x y\"],\"c\":[\"&\"]}"));
    }

    @Test
    void largeFormBodiesAreRefusedBeforeBeingBuffered() {
        var reply = http.sendBody(
                "POST", "/args", "a=" + "x".repeat(70 * 1024), "Content-Type: application/x-www-form-urlencoded");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("errcode").asText()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void forwardedForIgnoredUnlessTrusted() {
        var untrusted = http.send("GET", "/ip", "X-Forwarded-For: 203.0.113.9");
        assertThat(untrusted.json().get("ip").asText()).isNotEqualTo("203.0.113.9");

        HttpServer trusting = start(true);
        try {
            var trusted = new LocalHttp(trusting).send("GET", "/ip", "X-Forwarded-For: 198.51.100.1, 203.0.113.9");
            assertThat(trusted.json()).isEqualTo(json("{\"ip\":\"203.0.113.9\"}"));
        } finally {
            trusting.stop();
        }
    }

    @Test
    void handlersRunOnVirtualThreads() {
        assertThat(http.send("GET", "/thread").json()).isEqualTo(json("{\"virtual\":true}"));
    }

    @Test
    void cookiesAreReadAndSet() {
        var reply = http.send("GET", "/cookie", "Cookie: session=abc");

        assertThat(reply.json()).isEqualTo(json("{\"session\":\"abc\"}"));
        assertThat(reply.header("Set-Cookie"))
                .contains("reply=v1")
                .contains("HttpOnly")
                .contains("Secure");
    }

    @Test
    void malformedRequestLineGetsMatrixErrorNotHtml() {
        String raw = server.localRequest("GET /ip HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n");
        var reply = org.eclipse.jetty.http.HttpTester.parseResponse(raw);

        assertThat(reply.getStatus()).isEqualTo(400);
        assertThat(reply.getContent()).doesNotContain("<html");
        assertThat(json(reply.getContent()).get("errcode").asText()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void serverListensOnRealSocketAndReportsPort() throws Exception {
        HttpServer real = HttpServer.builder(router(), clock)
                .rateLimit("message", new RateLimit(1, 3))
                .listen("127.0.0.1", 0)
                .build();
        real.start();
        try {
            int port = real.port();
            assertThat(port).isPositive();
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/thread"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body())).isEqualTo(json("{\"virtual\":true}"));
        } finally {
            real.stop();
        }
    }

    @Test
    void endpointNamingUnconfiguredRateLimitFailsAtBuild() {
        Router r = new Router()
                .register(Endpoint.of(HttpMethod.GET, "/x", AuthRequirement.NONE, "typo", req -> MatrixResponse.ok()));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HttpServer.builder(r, clock).localConnector().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("typo");
    }

    @Test
    void headOnGetEndpointSendsSameHeadersWithoutBody() {
        var get = http.send("GET", "/cookie");
        String raw = http.raw("HEAD", "/cookie");
        var head = http.send("HEAD", "/cookie");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        assertThat(head.header("Content-Length"))
                .isEqualTo(get.header("Content-Length"))
                .isNotEqualTo("0");
        assertThat(head.header("Set-Cookie")).isEqualTo(get.header("Set-Cookie"));
        assertThat(head.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(raw).endsWith("\r\n\r\n");
    }

    @Test
    void headOnPostOnlyEndpointIs405() {
        var reply = http.send("HEAD", "/json");

        assertThat(reply.status()).isEqualTo(405);
    }

    @Test
    void requesterCarriesTypedIds() {
        HttpServer typed = HttpServer.builder(
                        new Router().register(Endpoint.of(HttpMethod.GET, "/me", AuthRequirement.REQUIRED, req -> {
                            Requester who = req.requireRequester();
                            return MatrixResponse.ok(NODES.objectNode()
                                    .put("localpart", who.userId().localpart())
                                    .put("server", who.userId().server().value())
                                    .put(
                                            "device",
                                            who.deviceId().map(DeviceId::value).orElse(null))
                                    .put("guest", who.guest()));
                        })),
                        clock)
                .authenticator(token -> Requester.guest(UserId.parse("@g1:test"), new DeviceId("GDEV")))
                .localConnector()
                .build();
        typed.start();
        try {
            var reply = new LocalHttp(typed).send("GET", "/me", "Authorization: Bearer any");

            assertThat(reply.json())
                    .isEqualTo(json("{\"localpart\":\"g1\",\"server\":\"test\",\"device\":\"GDEV\",\"guest\":true}"));
        } finally {
            typed.stop();
        }
    }
}
