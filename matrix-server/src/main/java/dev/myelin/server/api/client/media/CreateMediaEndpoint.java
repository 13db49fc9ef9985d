package dev.myelin.server.api.client.media;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.server.handler.media.MxcUri;
import dev.myelin.storage.media.PendingMedia;

/**
 * {@code POST /_matrix/media/v1/create}: reserves an {@code mxc://} URI whose content the same
 * user uploads later, before {@code unused_expires_at} (24 hours). At most
 * {@value MediaHandler#MAX_PENDING_PER_USER} pending ids per user, else 429 {@code M_LIMIT_EXCEEDED}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixmediav1create">spec</a>
 */
public final class CreateMediaEndpoint implements Endpoint {
    private final MediaHandler media;

    public CreateMediaEndpoint(MediaHandler media) {
        this.media = media;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/media/v1/create";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        PendingMedia pending = media.create(request.requireRequester().userId());
        MxcUri uri = new MxcUri(media.serverName(), new MediaId(pending.mediaId()));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode()
                .put("content_uri", uri.toString())
                .put("unused_expires_at", pending.expiresAt().toEpochMilli()));
    }
}
