package dev.myelin.server.api.client.media;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.UrlPreviewHandler;
import java.util.OptionalLong;

/**
 * {@code GET /_matrix/client/v1/media/preview_url?url&ts} (and the deprecated
 * {@code /_matrix/media/v3/preview_url}, which needs a token too). Registered only with
 * {@code url_preview_enabled: true}; otherwise the path is unknown (404 {@code M_UNRECOGNIZED}),
 * as on Synapse. A blocked destination is 403 {@code M_UNKNOWN}; a failed fetch 502.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediapreview_url">spec</a>
 */
public final class PreviewUrlEndpoint implements Endpoint {
    private final UrlPreviewHandler previews;
    private final MediaAccess access;

    public PreviewUrlEndpoint(UrlPreviewHandler previews, MediaAccess access) {
        this.previews = previews;
        this.access = access;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return access.prefix() + "/preview_url";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        String url = request.requireQueryParam("url");
        OptionalLong ts = request.queryParam("ts").map(t -> OptionalLong.of(MediaResponses.nonNegative("ts", t)))
                .orElse(OptionalLong.empty());
        return MatrixResponse.ok(previews.preview(request.requireRequester().userId(), url, ts));
    }
}
