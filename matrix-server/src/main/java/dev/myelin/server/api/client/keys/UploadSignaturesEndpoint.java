package dev.myelin.server.api.client.keys;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.CrossSigning;
import dev.myelin.server.handler.keys.SignatureFailures;
import dev.myelin.server.handler.keys.SignaturesUpload;

/**
 * {@code POST /_matrix/client/v3/keys/signatures/upload}: publishes signatures of keys (own devices by the
 * self-signing key, the own master key by a device, other users' master keys by the user-signing key).
 * Each signature is verified; the ones refused are listed per key under {@code failures}. The signed
 * keys are signed JSON and stay JSON (see {@link SignaturesUpload}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keyssignaturesupload">spec</a>
 */
public final class UploadSignaturesEndpoint extends JsonEndpoint<SignaturesUpload, SignatureFailures> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<SignaturesUpload, SignatureFailures> SPEC = EndpointSpec.post(
            "/_matrix/client/v3/keys/signatures/upload", SignaturesUpload.class, SignatureFailures.class);

    private final CrossSigning crossSigning;

    public UploadSignaturesEndpoint(CrossSigning crossSigning) {
        super(SPEC);
        this.crossSigning = crossSigning;
    }

    @Override
    protected SignatureFailures handle(MatrixRequest request, SignaturesUpload body) {
        return crossSigning.uploadSignatures(request.requireRequester().userId(), body);
    }
}
