package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/account/whoami}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3accountwhoami">spec</a>
 */
public final class WhoamiEndpoint extends JsonEndpoint<NoBody, WhoamiEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/account/whoami", Response.class);

    /** Who the access token belongs to. */
    public record Response(
            String userId,
            @Nullable String deviceId,
            @JsonProperty("is_guest") boolean isGuest) {}

    public WhoamiEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        Requester requester = request.requireRequester();
        return new Response(
                requester.userId().toString(),
                requester.deviceId().map(Object::toString).orElse(null),
                requester.guest());
    }
}
