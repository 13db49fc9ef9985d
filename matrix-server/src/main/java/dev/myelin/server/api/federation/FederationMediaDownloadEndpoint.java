package dev.myelin.server.api.federation;

import dev.myelin.core.id.MxcUri;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.client.media.MediaResponses;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.storage.media.LocalMedia;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * {@code GET /_matrix/federation/v1/media/download/{mediaId}?timeout_ms=}: this server's own media
 * for another server, signed with X-Matrix, as {@code multipart/mixed} (the {@code {}} metadata
 * part, then the bytes with their type and disposition). Only local uploads: cached copies of
 * other servers' media are not served on. Unknown and quarantined media are 404 {@code
 * M_NOT_FOUND}; an id created but not uploaded yet is waited for up to {@code timeout_ms}, then
 * 504 {@code M_NOT_YET_UPLOADED}, as on the client endpoints.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1mediadownloadmediaid">spec</a>
 */
public final class FederationMediaDownloadEndpoint extends SpecEndpoint {
    private final MediaHandler media;
    private final SecureRandom random;

    public FederationMediaDownloadEndpoint(MediaHandler media, SecureRandom random) {
        super(FederationEndpoints.MEDIA_DOWNLOAD);
        this.media = media;
        this.random = random;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireOrigin();
        MediaId id = MediaId.parse(request.pathParam("mediaId"));
        // the freeze of the unauthenticated client endpoints does not apply between servers
        LocalMedia found =
                media.find(new MxcUri(media.serverName(), id.value()), false, MediaResponses.timeout(request));
        return MediaResponses.serveMultipart(media.content(found, Optional.empty()), false, random);
    }
}
