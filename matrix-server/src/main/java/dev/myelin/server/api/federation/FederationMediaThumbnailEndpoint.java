package dev.myelin.server.api.federation;

import dev.myelin.core.id.MxcUri;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.client.media.MediaResponses;
import dev.myelin.server.api.client.media.ThumbnailRequest;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.server.handler.media.ThumbnailHandler;
import dev.myelin.storage.media.LocalMedia;
import java.security.SecureRandom;

/**
 * {@code GET /_matrix/federation/v1/media/thumbnail/{mediaId}?width&height&method&animated&timeout_ms}:
 * a thumbnail of this server's own media for another server, signed with X-Matrix, made as the
 * client endpoint makes it ({@link ThumbnailHandler}) and sent as {@code multipart/mixed} like
 * {@link FederationMediaDownloadEndpoint}. The same errors as the client endpoint.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1mediathumbnailmediaid">spec</a>
 */
public final class FederationMediaThumbnailEndpoint extends SpecEndpoint {
    private final MediaHandler media;
    private final ThumbnailHandler thumbnails;
    private final SecureRandom random;

    public FederationMediaThumbnailEndpoint(MediaHandler media, ThumbnailHandler thumbnails, SecureRandom random) {
        super(FederationEndpoints.MEDIA_THUMBNAIL);
        this.media = media;
        this.thumbnails = thumbnails;
        this.random = random;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireOrigin();
        ThumbnailRequest asked = ThumbnailRequest.parse(request);
        MediaId id = MediaId.parse(request.pathParam("mediaId"));
        LocalMedia found =
                media.find(new MxcUri(media.serverName(), id.value()), false, MediaResponses.timeout(request));
        return MediaResponses.serveMultipart(
                thumbnails.thumbnail(found, asked.width(), asked.height(), asked.method(), asked.animated()),
                true,
                random);
    }
}
