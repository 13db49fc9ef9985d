package dev.myelin.server.api.client.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.media.UrlPreviewHandler;
import java.util.OptionalLong;

/**
 * {@code GET /_matrix/client/v1/media/preview_url?url&ts} (and the deprecated
 * {@code /_matrix/media/v3/preview_url}, which needs a token too). Registered only with
 * {@code url_preview_enabled: true}; otherwise the path is unknown (404 {@code M_UNRECOGNIZED}),
 * as on Synapse. A blocked destination is 403 {@code M_UNKNOWN}; a failed fetch 502. The answer is
 * the page's OpenGraph data, whose keys ({@code og:title}, {@code og:image}, ...) come from the
 * page, so it stays a JSON object.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediapreview_url">spec</a>
 */
public final class PreviewUrlEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The definition of the authenticated variant, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC = spec(MediaAccess.AUTHENTICATED);
    /** The definition of the deprecated variant, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> LEGACY_SPEC = spec(MediaAccess.LEGACY);

    private final UrlPreviewHandler previews;

    public PreviewUrlEndpoint(UrlPreviewHandler previews, MediaAccess access) {
        super(spec(access));
        this.previews = previews;
    }

    /** The definition of one variant; both need an access token. */
    public static EndpointSpec<NoBody, ObjectNode> spec(MediaAccess access) {
        return EndpointSpec.get(access.prefix() + "/preview_url", ObjectNode.class);
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        String url = request.requireQueryParam("url");
        OptionalLong ts = request.queryParam("ts")
                .map(t -> OptionalLong.of(MediaResponses.nonNegative("ts", t)))
                .orElse(OptionalLong.empty());
        return previews.preview(request.requireRequester().userId(), url, ts);
    }
}
