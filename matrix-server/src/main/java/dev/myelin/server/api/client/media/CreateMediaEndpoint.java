package dev.myelin.server.api.client.media;

import dev.myelin.core.id.MxcUri;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.storage.media.PendingMedia;

/**
 * {@code POST /_matrix/media/v1/create}: reserves an {@code mxc://} URI whose content the same
 * user uploads later, before {@code unused_expires_at} (24 hours). At most
 * {@value MediaHandler#MAX_PENDING_PER_USER} pending ids per user, else 429 {@code M_LIMIT_EXCEEDED}.
 * The request has no body.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixmediav1create">spec</a>
 */
public final class CreateMediaEndpoint extends JsonEndpoint<NoBody, CreateMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.post(
                    "/_matrix/media/v1/create", NoBody.class, Response.class)
            .rateLimited("media_create");

    /**
     * The reserved URI.
     *
     * @param contentUri the {@code mxc://} URI to upload to
     * @param unusedExpiresAt when the reservation lapses without content, in milliseconds since the epoch
     */
    public record Response(String contentUri, long unusedExpiresAt) {}

    private final MediaHandler media;

    public CreateMediaEndpoint(MediaHandler media) {
        super(SPEC);
        this.media = media;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        PendingMedia pending = media.create(request.requireRequester().userId());
        MxcUri uri = new MxcUri(media.serverName(), pending.mediaId());
        return new Response(uri.toString(), pending.expiresAt().toEpochMilli());
    }
}
