package dev.myelin.server.api.client.media;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.media.MediaHandler;

/**
 * {@code GET /_matrix/client/v1/media/config} (and the deprecated {@code /_matrix/media/v3/config},
 * which needs a token too): {@code m.upload.size}, the {@code max_upload_size}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediaconfig">spec</a>
 */
public final class MediaConfigEndpoint extends JsonEndpoint<NoBody, MediaConfigEndpoint.Response> {
    /** The definition of the authenticated variant, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = spec(MediaAccess.AUTHENTICATED);
    /** The definition of the deprecated variant, shared with clients. */
    public static final EndpointSpec<NoBody, Response> LEGACY_SPEC = spec(MediaAccess.LEGACY);

    /**
     * The media limits.
     *
     * @param uploadSize the largest upload accepted, in bytes
     */
    public record Response(@JsonProperty("m.upload.size") long uploadSize) {}

    private final MediaHandler media;

    public MediaConfigEndpoint(MediaHandler media, MediaAccess access) {
        super(spec(access));
        this.media = media;
    }

    /** The definition of one variant; both need an access token. */
    public static EndpointSpec<NoBody, Response> spec(MediaAccess access) {
        return EndpointSpec.get(access.prefix() + "/config", Response.class);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        return new Response(media.maxUploadBytes());
    }
}
