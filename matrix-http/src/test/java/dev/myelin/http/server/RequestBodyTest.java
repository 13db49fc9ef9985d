package dev.myelin.http.server;

import static dev.myelin.http.server.LocalHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.time.ManualClock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request bodies: size limits before parsing, and what counts as JSON. */
class RequestBodyTest {
    private HttpServer server;
    private LocalHttp http;

    /** Echoes the raw body back; accepts at most 10 bytes regardless of the server default. */
    static final class SmallUpload implements Endpoint {
        @Override
        public EndpointSpec<?, ?> spec() {
            return EndpointSpec.post("/upload", NoBody.class, NoBody.class)
                    .noAuth()
                    .maxBody(10);
        }

        @Override
        public MatrixResponse handle(MatrixRequest request) {
            return MatrixResponse.bytes(200, "application/octet-stream", request.bodyBytes());
        }
    }

    @BeforeEach
    void setUp() {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.POST, "/json", AuthRequirement.NONE, req -> MatrixResponse.ok(req.jsonObject())))
                .register(new SmallUpload());
        server = HttpServer.builder(router, new ManualClock())
                .maxBodyBytes(100)
                .localConnector()
                .build();
        server.start();
        http = new LocalHttp(server);
    }

    @AfterEach
    void tearDown() {
        server.stop();
    }

    @Test
    void bodyOverLimitIs413TooLarge() {
        var reply = http.sendBody("POST", "/json", "{\"k\":\"" + "x".repeat(200) + "\"}");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json())
                .isEqualTo(json(
                        "{\"errcode\":\"M_TOO_LARGE\",\"error\":\"Request body exceeds the limit of 100 bytes\"}"));
    }

    @Test
    void chunkedBodyOverLimitIs413TooLarge() {
        String chunk = "x".repeat(150);
        String raw = "POST /json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
        var reply = org.eclipse.jetty.http.HttpTester.parseResponse(server.localRequest(raw));

        assertThat(reply.getStatus()).isEqualTo(413);
        assertThat(json(reply.getContent()).get("errcode").asText()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void endpointCanRaiseItsOwnBodyLimit() {
        assertThat(http.sendBody("POST", "/upload", "0123456789").body()).isEqualTo("0123456789");
        var reply = http.sendBody("POST", "/upload", "0123456789A");
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("errcode").asText()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void bodyThatIsNotJsonIs400NotJson() {
        var reply = http.sendBody("POST", "/json", "{not json", "Content-Type: application/json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json()).isEqualTo(json("{\"errcode\":\"M_NOT_JSON\",\"error\":\"Content not JSON\"}"));
    }

    @Test
    void emptyOrTrailingGarbageBodyIsNotJson() {
        assertThat(http.sendBody("POST", "/json", "").json().get("errcode").asText())
                .isEqualTo("M_NOT_JSON");
        assertThat(http.sendBody("POST", "/json", "{} {}").json().get("errcode").asText())
                .isEqualTo("M_NOT_JSON");
    }

    @Test
    void loneSurrogateInStringOrKeyIs400BadJsonNamingIt() {
        var value = http.sendBody("POST", "/json", "{\"a\":{\"b\":[\"x\\ud800\"]}}");
        assertThat(value.status()).isEqualTo(400);
        assertThat(value.json())
                .isEqualTo(json("{\"errcode\":\"M_BAD_JSON\",\"error\":\"'a.b[0]' has a lone UTF-16 surrogate\"}"));

        // The parser itself refuses such a key, before the check after parsing sees it.
        var key = http.sendBody("POST", "/json", "{\"a\":{\"\\udc00\":1}}");
        assertThat(key.status()).isEqualTo(400);
        assertThat(key.json().get("errcode").asText()).isIn("M_NOT_JSON", "M_BAD_JSON");
    }

    @Test
    void numberTooLargeToRepresentIs400BadJson() {
        var reply = http.sendBody("POST", "/json", "{\"n\":1e99999999}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json())
                .isEqualTo(json("{\"errcode\":\"M_BAD_JSON\",\"error\":\"'n' is a number too large to represent\"}"));
    }

    @Test
    void pairedSurrogatesFractionsAndLargeIntegersStayAllowed() {
        var reply = http.sendBody(
                "POST", "/json", "{\"e\":\"\\ud83d\\ude00\",\"f\":0.5,\"i\":123456789012345678901234567890}");

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void jsonThatIsNotAnObjectIs400BadJson() {
        var reply = http.sendBody("POST", "/json", "[1,2,3]", "Content-Type: application/json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json())
                .isEqualTo(json("{\"errcode\":\"M_BAD_JSON\",\"error\":\"Content must be a JSON object\"}"));
    }
}
