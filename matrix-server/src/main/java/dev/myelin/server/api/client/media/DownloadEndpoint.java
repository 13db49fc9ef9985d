package dev.myelin.server.api.client.media;

import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.storage.media.LocalMedia;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}]}, and the
 * deprecated unauthenticated {@code /_matrix/media/v3/download/...} (see {@link MediaAccess}).
 * Streams local media with the headers of {@link MediaResponses}; remote media is 404 until
 * federation exists.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediadownloadservernamemediaid">spec</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediadownloadservernamemediaidfilename">with file name</a>
 */
public final class DownloadEndpoint implements Endpoint {
    private final MediaHandler media;
    private final MediaAccess access;
    private final boolean withFileName;

    public DownloadEndpoint(MediaHandler media, MediaAccess access, boolean withFileName) {
        this.media = media;
        this.access = access;
        this.withFileName = withFileName;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return access.prefix() + "/download/{serverName}/{mediaId}" + (withFileName ? "/{fileName}" : "");
    }

    @Override
    public AuthRequirement auth() {
        return access.auth();
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        LocalMedia found = media.find(MediaResponses.serverName(request), MediaResponses.mediaId(request),
                access == MediaAccess.LEGACY, MediaResponses.timeout(request));
        Optional<String> name = withFileName ? Optional.of(request.pathParam("fileName")) : Optional.empty();
        return MediaResponses.serve(media.content(found, name), false);
    }
}
