package dev.myelin.http.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.http.server.Router;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The minimal server of docs/http.md, kept compiling and tested by {@link ExampleServerTest}. */
final class ExampleServer {

    /** {@code GET /_matrix/client/versions}, no auth. */
    static final class Versions extends JsonEndpoint<NoBody, Versions.Response> {
        static final EndpointSpec<NoBody, Response> SPEC =
                EndpointSpec.get("/_matrix/client/versions", Response.class).noAuth();

        record Response(List<String> versions) {}

        Versions() {
            super(SPEC);
        }

        @Override
        protected Response handle(MatrixRequest request, NoBody body) {
            return new Response(List.of("v1.19"));
        }
    }

    /** {@code GET /_matrix/client/v3/account/whoami}, auth required (the default). */
    static final class WhoAmI extends JsonEndpoint<NoBody, WhoAmI.Response> {
        static final EndpointSpec<NoBody, Response> SPEC =
                EndpointSpec.get("/_matrix/client/v3/account/whoami", Response.class);

        record Response(
                String userId, boolean isGuest, @Nullable String deviceId) {}

        WhoAmI() {
            super(SPEC);
        }

        @Override
        protected Response handle(MatrixRequest request, NoBody body) {
            Requester who = request.requireRequester();
            return new Response(
                    who.userId().toString(),
                    who.guest(),
                    who.deviceId().map(DeviceId::value).orElse(null));
        }
    }

    /** {@code POST /_myelin/echo}: answers the JSON object it was sent; rate limited. */
    static final class Echo extends JsonEndpoint<ObjectNode, ObjectNode> {
        static final EndpointSpec<ObjectNode, ObjectNode> SPEC = EndpointSpec.post(
                        "/_myelin/echo", ObjectNode.class, ObjectNode.class)
                .noAuth()
                .rateLimited("echo");

        Echo() {
            super(SPEC);
        }

        @Override
        protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
            return body;
        }
    }

    static HttpServer.Builder builder(Clock clock) {
        Map<String, Requester> tokens =
                Map.of("alice_token", Requester.user(UserId.parse("@alice:example.org"), new DeviceId("PHONE")));
        Router router =
                new Router().register(new Versions()).register(new WhoAmI()).register(new Echo());
        return HttpServer.builder(router, clock)
                .authenticator(token -> Optional.ofNullable(tokens.get(token))
                        .orElseThrow(() -> MatrixException.unknownToken("Unrecognised access token", false)))
                .rateLimit("echo", new RateLimit(1, 5));
    }

    private ExampleServer() {}
}
