package dev.myelin.server.api.client.todevice;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.todevice.ToDeviceHandler;

/**
 * {@code PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}}: sends one message per named
 * device (or to every device of a user with {@code *}), once per transaction id of the sending
 * device. A message's content is limited to {@link ToDeviceHandler#MAX_CONTENT_BYTES}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3sendtodeviceeventtypetxnid">spec</a>
 */
public final class SendToDeviceEndpoint implements Endpoint {
    private final ToDeviceHandler toDevice;

    public SendToDeviceEndpoint(ToDeviceHandler toDevice) {
        this.toDevice = toDevice;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/sendToDevice/{eventType}/{txnId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        String scope = requester.userId() + "/" + requester.deviceId().map(Object::toString)
                .or(request::accessToken).orElse("");
        toDevice.send(requester.userId(), scope, request.pathParam("eventType"), request.pathParam("txnId"),
                request.jsonObject());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
