package dev.myelin.server.api.client;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_matrix/client/v1/auth_metadata}: this server does not offer the OAuth 2.0 API, so
 * the answer is the spec's 404 {@code M_UNRECOGNIZED}, which tells clients to use the legacy
 * authentication API ({@code /login}, {@code /register}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1auth_metadata">spec</a>
 */
public final class AuthMetadataEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC = EndpointSpec.get(
                    "/_matrix/client/v1/auth_metadata", EmptyResponse.class)
            .noAuth();

    public AuthMetadataEndpoint() {
        super(SPEC);
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        throw MatrixException.unrecognized();
    }
}
