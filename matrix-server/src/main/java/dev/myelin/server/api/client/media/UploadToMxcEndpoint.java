package dev.myelin.server.api.client.media;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import java.util.OptionalLong;

/**
 * {@code PUT /_matrix/media/v3/upload/{serverName}/{mediaId}}: the content of an id from
 * {@code /create}. Only its creator (403 {@code M_FORBIDDEN}), before it expires (404
 * {@code M_NOT_FOUND}), once (409 {@code M_CANNOT_OVERWRITE_MEDIA}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixmediav3uploadservernamemediaid">spec</a>
 */
public final class UploadToMxcEndpoint implements Endpoint {
    private final MediaHandler media;

    public UploadToMxcEndpoint(MediaHandler media) {
        this.media = media;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/media/v3/upload/{serverName}/{mediaId}";
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
        media.uploadTo(request.requireRequester().userId(), MediaResponses.serverName(request),
                MediaResponses.mediaId(request), request.bodyStream(), request.contentType(),
                request.queryParam("filename"));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
