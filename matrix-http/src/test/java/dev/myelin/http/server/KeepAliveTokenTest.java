package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.MatrixException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access tokens are compared exactly, also when several requests share one keep-alive
 * connection. Jetty's HTTP/1.1 parser keeps a per-connection cache of header lines it has seen
 * (the {@code Authorization} header among them); a cache that matched case-insensitively handed a
 * case-changed token the value of the real one sent earlier.
 */
class KeepAliveTokenTest {
    private static final String TOKEN = "myl_SecretToken";

    private final List<String> presented = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/whoami",
                        AuthRequirement.REQUIRED,
                        req -> MatrixResponse.ok(JsonNodeFactory.instance
                                .objectNode()
                                .put("user_id", req.requireRequester().userId().toString()))))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/cookie",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(JsonNodeFactory.instance
                                .objectNode()
                                .put("session", req.cookie("session").orElse("")))));
        server = HttpServer.builder(router, new ManualClock())
                .authenticator(token -> {
                    presented.add(token);
                    if (token.equals(TOKEN)) {
                        return Requester.withoutDevice(UserId.parse("@alice:example.org"));
                    }
                    throw MatrixException.unknownToken("Unrecognised access token", false);
                })
                .listen("127.0.0.1", 0)
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void caseChangedTokenOnTheSameConnectionIsUnknown() throws Exception {
        try (RawConnection connection = new RawConnection(server.port())) {
            RawConnection.Response real = connection.get("/whoami", "Authorization: Bearer " + TOKEN + "\r\n");
            assertThat(real.status()).isEqualTo(200);
            assertThat(real.body()).isEqualTo("{\"user_id\":\"@alice:example.org\"}");

            for (String changed : List.of(
                    TOKEN.toLowerCase(java.util.Locale.ROOT),
                    TOKEN.toUpperCase(java.util.Locale.ROOT),
                    "myl_secretToken")) {
                RawConnection.Response response =
                        connection.get("/whoami", "Authorization: Bearer " + changed + "\r\n");
                assertThat(response.status()).as(changed).isEqualTo(401);
                assertThat(response.body())
                        .as(changed)
                        .isEqualTo(
                                "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Unrecognised access token\",\"soft_logout\":false}");
            }
            // the real token still works on the same connection afterwards
            assertThat(connection
                            .get("/whoami", "Authorization: Bearer " + TOKEN + "\r\n")
                            .status())
                    .isEqualTo(200);
        }
        assertThat(presented).containsExactly(TOKEN, "myl_secrettoken", "MYL_SECRETTOKEN", "myl_secretToken", TOKEN);
    }

    @Test
    void caseChangedHeaderNameAndSchemeStillCarryTheExactToken() throws Exception {
        // Header names and the auth scheme are case-insensitive in HTTP; only the token is exact.
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection
                            .get("/whoami", "Authorization: Bearer " + TOKEN + "\r\n")
                            .status())
                    .isEqualTo(200);
            assertThat(connection
                            .get("/whoami", "authorization: bearer " + TOKEN + "\r\n")
                            .status())
                    .isEqualTo(200);
            assertThat(connection
                            .get(
                                    "/whoami",
                                    "AUTHORIZATION: Bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT) + "\r\n")
                            .status())
                    .isEqualTo(401);
        }
    }

    @Test
    void cookieValuesOnTheSameConnectionAreExactToo() throws Exception {
        // Cookie is the other secret-bearing header the parser caches.
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection.get("/cookie", "Cookie: session=SeCrEt\r\n").body())
                    .isEqualTo("{\"session\":\"SeCrEt\"}");
            assertThat(connection.get("/cookie", "Cookie: session=secret\r\n").body())
                    .isEqualTo("{\"session\":\"secret\"}");
        }
    }
}
