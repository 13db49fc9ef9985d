package dev.myelin.server.api.client.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.storage.media.LocalMedia;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}]}, and the
 * deprecated unauthenticated {@code /_matrix/media/v3/download/...} (see {@link MediaAccess}).
 * Streams local media with the headers of {@link MediaResponses}; remote media is 404 until
 * federation exists. The answer is the media itself, not JSON.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediadownloadservernamemediaid">spec</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediadownloadservernamemediaidfilename">with file name</a>
 */
public final class DownloadEndpoint extends SpecEndpoint {
    /** The definition of the authenticated download, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> SPEC = spec(MediaAccess.AUTHENTICATED, false);
    /** The definition of the authenticated download with a file name, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> WITH_FILE_NAME_SPEC = spec(MediaAccess.AUTHENTICATED, true);
    /** The definition of the deprecated unauthenticated download, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> LEGACY_SPEC = spec(MediaAccess.LEGACY, false);
    /** The definition of the deprecated unauthenticated download with a file name, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> LEGACY_WITH_FILE_NAME_SPEC = spec(MediaAccess.LEGACY, true);

    private final MediaHandler media;
    private final MediaAccess access;
    private final boolean withFileName;

    public DownloadEndpoint(MediaHandler media, MediaAccess access, boolean withFileName) {
        super(spec(access, withFileName));
        this.media = media;
        this.access = access;
        this.withFileName = withFileName;
    }

    /** The definition of one variant. */
    public static EndpointSpec<NoBody, NoBody> spec(MediaAccess access, boolean withFileName) {
        return EndpointSpec.get(
                        access.prefix() + "/download/{serverName}/{mediaId}" + (withFileName ? "/{fileName}" : ""),
                        NoBody.class)
                .withAuth(access.auth());
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        LocalMedia found = media.find(
                MediaResponses.mxcUri(request), access == MediaAccess.LEGACY, MediaResponses.timeout(request));
        Optional<String> name = withFileName ? Optional.of(request.pathParam("fileName")) : Optional.empty();
        return MediaResponses.serve(media.content(found, name), false);
    }
}
