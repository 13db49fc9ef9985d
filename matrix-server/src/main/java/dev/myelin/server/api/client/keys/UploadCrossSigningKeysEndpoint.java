package dev.myelin.server.api.client.keys;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.keys.CrossSigning;
import dev.myelin.server.handler.keys.CrossSigningUpload;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/keys/device_signing/upload}: publishes the user's cross-signing keys. The
 * first upload, and a repeat of the stored keys, need no user-interactive auth; replacing keys needs the
 * account password. The keys are signed JSON and stay JSON objects (see {@link CrossSigningUpload}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysdevice_signingupload">spec</a>
 */
public final class UploadCrossSigningKeysEndpoint extends JsonEndpoint<CrossSigningUpload, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<CrossSigningUpload, EmptyResponse> SPEC = EndpointSpec.post(
            "/_matrix/client/v3/keys/device_signing/upload", CrossSigningUpload.class, EmptyResponse.class);

    static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    private final CrossSigning crossSigning;
    private final UserInteractiveAuth uia;

    public UploadCrossSigningKeysEndpoint(CrossSigning crossSigning, UserInteractiveAuth uia) {
        super(SPEC);
        this.crossSigning = crossSigning;
        this.uia = uia;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, CrossSigningUpload body) {
        Requester requester = request.requireRequester();
        crossSigning.upload(
                requester.userId(),
                body,
                () -> uia.authorise(request, body, body.auth(), FLOWS, Optional.of(requester.userId())));
        return EmptyResponse.INSTANCE;
    }
}
