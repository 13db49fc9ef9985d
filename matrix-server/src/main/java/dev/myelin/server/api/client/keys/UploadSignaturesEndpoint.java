package dev.myelin.server.api.client.keys;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.keys.CrossSigning;

/**
 * {@code POST /_matrix/client/v3/keys/signatures/upload}: publishes signatures of keys (own devices by the
 * self-signing key, the own master key by a device, other users' master keys by the user-signing key).
 * Each signature is verified; the ones refused are listed per key under {@code failures}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keyssignaturesupload">spec</a>
 */
public final class UploadSignaturesEndpoint implements Endpoint {
    private final CrossSigning crossSigning;

    public UploadSignaturesEndpoint(CrossSigning crossSigning) {
        this.crossSigning = crossSigning;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/keys/signatures/upload";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return MatrixResponse.ok(crossSigning.uploadSignatures(request.requireRequester().userId(),
                request.jsonObject()));
    }
}
