package dev.myelin.server.api.client.push;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;

/**
 * Every {@code /_matrix/client/v3/pushrules/...} path that no push rule endpoint serves: a missing
 * or unknown scope, a missing kind or rule id, an attribute other than {@code enabled} and
 * {@code actions}, or a list path without its trailing slash. These are requests for push rules
 * that are malformed, so they are answered 400 {@code M_UNRECOGNIZED} as Synapse answers them,
 * rather than the router's 404/405 for paths that name no API at all. {@code /pushrules} itself
 * (no trailing slash) stays 404: it is not the push rules API's path.
 *
 * <p>One instance per method ({@code GET}, {@code PUT}, {@code DELETE}); the body of a {@code PUT}
 * is not read, since no body can make such a path valid.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules-api">Push rules API</a>
 */
public final class MalformedPushRulePathEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The path template: anything under the push rules prefix, including nothing. */
    public static final String PATH = "/_matrix/client/v3/pushrules/{rest...}";

    public MalformedPushRulePathEndpoint(HttpMethod method) {
        super(EndpointSpec.of(method, PATH, NoBody.class, EmptyResponse.class));
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        if (request.rawPath().endsWith("/pushrules")) {
            throw MatrixException.unrecognized();
        }
        throw new MatrixException(400, ErrorCode.UNRECOGNIZED, "Unrecognized push rules request");
    }
}
