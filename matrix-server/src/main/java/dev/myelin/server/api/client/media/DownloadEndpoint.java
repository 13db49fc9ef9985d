package dev.myelin.server.api.client.media;

import dev.myelin.core.id.MxcUri;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.RemoteMediaHandler;
import dev.myelin.storage.media.LocalMedia;
import dev.myelin.storage.media.RemoteMedia;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}]}, and the
 * deprecated unauthenticated {@code /_matrix/media/v3/download/...} (see {@link MediaAccess}).
 * Streams local media with the headers of {@link MediaResponses}; another server's media from
 * this server's cached copy, fetched over federation first when there is none ({@link
 * RemoteMediaHandler}), except on the legacy endpoint with {@code allow_remote=false} (404). The
 * answer is the media itself, not JSON.
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
    private final RemoteMediaHandler remote;
    private final MediaAccess access;
    private final boolean withFileName;

    public DownloadEndpoint(MediaHandler media, RemoteMediaHandler remote, MediaAccess access, boolean withFileName) {
        super(spec(access, withFileName));
        this.media = media;
        this.remote = remote;
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
        MxcUri uri = MediaResponses.mxcUri(request);
        boolean legacy = access == MediaAccess.LEGACY;
        Optional<String> name = withFileName ? Optional.of(request.pathParam("fileName")) : Optional.empty();
        if (uri.server().equals(media.serverName())) {
            LocalMedia found = media.find(uri, legacy, MediaResponses.timeout(request));
            return MediaResponses.serve(media.content(found, name), false);
        }
        if (legacy && !MediaResponses.bool(request, "allow_remote", true)) {
            throw MatrixException.notFound("Remote media is not fetched with allow_remote=false");
        }
        RemoteMedia found = remote.find(uri, legacy, MediaResponses.timeout(request), request.clientIp());
        return MediaResponses.serve(remote.content(found, name), false);
    }
}
