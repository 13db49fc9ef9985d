package dev.myelin.server.api.client.media;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;

/**
 * {@code GET /_matrix/client/v1/media/config} (and the deprecated {@code /_matrix/media/v3/config},
 * which needs a token too): {@code m.upload.size}, the {@code max_upload_size}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediaconfig">spec</a>
 */
public final class MediaConfigEndpoint implements Endpoint {
    private final MediaHandler media;
    private final MediaAccess access;

    public MediaConfigEndpoint(MediaHandler media, MediaAccess access) {
        this.media = media;
        this.access = access;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return access.prefix() + "/config";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("m.upload.size", media.maxUploadBytes()));
    }
}
