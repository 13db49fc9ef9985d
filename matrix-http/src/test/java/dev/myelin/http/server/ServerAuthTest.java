package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoints with {@link AuthRequirement#SERVER} are reached only through the
 * {@link ServerAuthenticator}, which sees the request as received (raw path and query, every
 * {@code Authorization} header, the body) before the endpoint does; access tokens play no part.
 */
class ServerAuthTest {
    private final List<String> seen = new ArrayList<>();
    private HttpServer server;

    private LocalHttp start(ServerAuthenticator authenticator) {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.POST,
                        "/fed/{x}",
                        AuthRequirement.SERVER,
                        req -> MatrixResponse.json(
                                200,
                                JsonNodeFactory.instance
                                        .objectNode()
                                        .put("origin", req.requireOrigin().value())
                                        .set("body", req.json()))));
        HttpServer.Builder builder = HttpServer.builder(router, new ManualClock())
                .authenticator(token -> {
                    throw new AssertionError("access tokens are not looked at");
                })
                .localConnector();
        if (authenticator != null) {
            builder.serverAuthenticator(authenticator);
        }
        server = builder.build();
        server.start();
        return new LocalHttp(server);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void theAuthenticatorSeesTheRequestAsReceivedAndNamesTheOrigin() {
        LocalHttp http = start(request -> {
            seen.add(request.rawPath() + "?" + request.rawQuery().orElse(""));
            seen.addAll(request.headers("Authorization"));
            seen.add(new String(request.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8));
            return ServerName.parse("origin.test");
        });

        var reply = http.sendBody(
                "POST",
                "/fed/a%2Fb?q=%20x",
                "{\"k\":1}",
                "Authorization: X-Matrix origin=origin.test,key=\"ed25519:1\",sig=\"s\"",
                "Authorization: Bearer token",
                "Content-Type: application/json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().toString()).isEqualTo("{\"origin\":\"origin.test\",\"body\":{\"k\":1}}");
        assertThat(seen)
                .containsExactly(
                        "/fed/a%2Fb?q=%20x",
                        "X-Matrix origin=origin.test,key=\"ed25519:1\",sig=\"s\"", "Bearer token", "{\"k\":1}");
    }

    @Test
    void aRefusalIsTheAuthenticatorsMatrixError() {
        LocalHttp http = start(request -> {
            throw new MatrixException(401, ErrorCode.UNAUTHORIZED, "Invalid signature");
        });

        var reply = http.sendBody("POST", "/fed/x", "{}", "Content-Type: application/json");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().toString())
                .isEqualTo("{\"errcode\":\"M_UNAUTHORIZED\",\"error\":\"Invalid signature\"}");
    }

    @Test
    void withoutAnAuthenticatorEveryServerRequestIsRefused() {
        LocalHttp http = start(null);

        var reply = http.sendBody("POST", "/fed/x", "{}", "Content-Type: application/json");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("errcode").asText()).isEqualTo("M_UNAUTHORIZED");
    }
}
