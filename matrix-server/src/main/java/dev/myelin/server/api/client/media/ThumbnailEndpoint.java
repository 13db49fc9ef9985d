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
import dev.myelin.server.handler.media.ThumbnailHandler;
import dev.myelin.storage.media.LocalMedia;
import dev.myelin.storage.media.RemoteMedia;

/**
 * {@code GET /_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}?width&height&method&animated},
 * and the deprecated unauthenticated {@code /_matrix/media/v3/thumbnail/...}. {@code width} and
 * {@code height} are required positive integers, {@code method} is {@code scale} (default) or
 * {@code crop}; see {@link ThumbnailHandler} for what is served. Another server's media is
 * thumbnailed here from this server's cached copy, fetched first when there is none. The answer is
 * an image, not JSON.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediathumbnailservernamemediaid">spec</a>
 */
public final class ThumbnailEndpoint extends SpecEndpoint {
    /** The definition of the authenticated variant, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> SPEC = spec(MediaAccess.AUTHENTICATED);
    /** The definition of the deprecated unauthenticated variant, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> LEGACY_SPEC = spec(MediaAccess.LEGACY);

    private final MediaHandler media;
    private final RemoteMediaHandler remote;
    private final ThumbnailHandler thumbnails;
    private final MediaAccess access;

    public ThumbnailEndpoint(
            MediaHandler media, RemoteMediaHandler remote, ThumbnailHandler thumbnails, MediaAccess access) {
        super(spec(access));
        this.media = media;
        this.remote = remote;
        this.thumbnails = thumbnails;
        this.access = access;
    }

    /** The definition of one variant. */
    public static EndpointSpec<NoBody, NoBody> spec(MediaAccess access) {
        return EndpointSpec.get(access.prefix() + "/thumbnail/{serverName}/{mediaId}", NoBody.class)
                .withAuth(access.auth());
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ThumbnailRequest asked = ThumbnailRequest.parse(request);
        MxcUri uri = MediaResponses.mxcUri(request);
        boolean legacy = access == MediaAccess.LEGACY;
        if (uri.server().equals(media.serverName())) {
            LocalMedia found = media.find(uri, legacy, MediaResponses.timeout(request));
            return MediaResponses.serve(
                    thumbnails.thumbnail(found, asked.width(), asked.height(), asked.method(), asked.animated()), true);
        }
        if (legacy && !MediaResponses.bool(request, "allow_remote", true)) {
            throw MatrixException.notFound("Remote media is not fetched with allow_remote=false");
        }
        RemoteMedia found = remote.find(uri, legacy, MediaResponses.timeout(request), request.clientIp());
        return MediaResponses.serve(
                thumbnails.thumbnail(remote, found, asked.width(), asked.height(), asked.method(), asked.animated()),
                true);
    }
}
