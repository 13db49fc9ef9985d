package dev.myelin.http.example;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.http.server.Router;
import java.util.Map;
import java.util.Optional;

/** The minimal server of docs/http.md, kept compiling and tested by {@link ExampleServerTest}. */
final class ExampleServer {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** {@code GET /_matrix/client/versions}, no auth. */
    static final class Versions implements Endpoint {
        public HttpMethod method() { return HttpMethod.GET; }
        public String path() { return "/_matrix/client/versions"; }
        public AuthRequirement auth() { return AuthRequirement.NONE; }

        public MatrixResponse handle(MatrixRequest request) {
            ObjectNode body = JSON.objectNode();
            body.putArray("versions").add("v1.19");
            return MatrixResponse.ok(body);
        }
    }

    /** {@code GET /_matrix/client/v3/account/whoami}, auth required (the default). */
    static final class WhoAmI implements Endpoint {
        public HttpMethod method() { return HttpMethod.GET; }
        public String path() { return "/_matrix/client/v3/account/whoami"; }

        public MatrixResponse handle(MatrixRequest request) {
            Requester who = request.requireRequester();
            ObjectNode body = JSON.objectNode()
                    .put("user_id", who.userId().toString())
                    .put("is_guest", who.guest());
            who.deviceId().ifPresent(device -> body.put("device_id", device.value()));
            return MatrixResponse.ok(body);
        }
    }

    /** {@code POST /_myelin/echo}: answers the JSON object it was sent; rate limited. */
    static final class Echo implements Endpoint {
        public HttpMethod method() { return HttpMethod.POST; }
        public String path() { return "/_myelin/echo"; }
        public AuthRequirement auth() { return AuthRequirement.NONE; }
        public Optional<String> rateLimitAction() { return Optional.of("echo"); }

        public MatrixResponse handle(MatrixRequest request) {
            return MatrixResponse.ok(request.jsonObject());
        }
    }

    static HttpServer.Builder builder(Clock clock) {
        Map<String, Requester> tokens = Map.of(
                "alice_token", Requester.user(UserId.parse("@alice:example.org"), new DeviceId("PHONE")));
        Router router = new Router()
                .register(new Versions())
                .register(new WhoAmI())
                .register(new Echo());
        return HttpServer.builder(router, clock)
                .authenticator(token -> Optional.ofNullable(tokens.get(token))
                        .orElseThrow(() -> MatrixException.unknownToken("Unrecognised access token", false)))
                .rateLimit("echo", new RateLimit(1, 5));
    }

    private ExampleServer() {}
}
