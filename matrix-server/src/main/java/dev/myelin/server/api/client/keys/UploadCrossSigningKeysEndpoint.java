package dev.myelin.server.api.client.keys;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.keys.CrossSigning;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/keys/device_signing/upload}: publishes the user's cross-signing keys. The
 * first upload, and a repeat of the stored keys, need no user-interactive auth; replacing keys needs the
 * account password.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysdevice_signingupload">spec</a>
 */
public final class UploadCrossSigningKeysEndpoint implements Endpoint {
    static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    private final CrossSigning crossSigning;
    private final UserInteractiveAuth uia;

    public UploadCrossSigningKeysEndpoint(CrossSigning crossSigning, UserInteractiveAuth uia) {
        this.crossSigning = crossSigning;
        this.uia = uia;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/keys/device_signing/upload";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        var body = request.jsonObject();
        crossSigning.upload(requester.userId(), body,
                () -> uia.authorise(body, FLOWS, Optional.of(requester.userId())));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
