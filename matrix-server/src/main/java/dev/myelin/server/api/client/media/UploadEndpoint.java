package dev.myelin.server.api.client.media;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.MxcUri;
import java.util.OptionalLong;

/**
 * {@code POST /_matrix/media/v3/upload?filename=}: stores the body as new media and answers its
 * {@code content_uri}. The body is streamed to disk; {@code max_upload_size} is enforced as it
 * arrives (413 {@code M_TOO_LARGE}). Without {@code Content-Type} it is {@code application/octet-stream}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixmediav3upload">spec</a>
 */
public final class UploadEndpoint implements Endpoint {
    private final MediaHandler media;

    public UploadEndpoint(MediaHandler media) {
        this.media = media;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/media/v3/upload";
    }

    @Override
    public OptionalLong maxBodyBytes() {
        return OptionalLong.of(media.maxUploadBytes());
    }

    @Override
    public boolean streamsBody() {
        return true;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        MxcUri uri = media.upload(request.requireRequester().userId(), request.bodyStream(), request.contentType(),
                request.queryParam("filename"));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("content_uri", uri.toString()));
    }
}
