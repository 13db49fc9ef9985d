package dev.myelin.server.api.client.todevice;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.TransactionScope;
import dev.myelin.server.handler.todevice.ToDeviceHandler;
import dev.myelin.server.handler.todevice.ToDeviceMessages;

/**
 * {@code PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}}: sends one message per named
 * device (or to every device of a user with {@code *}), once per transaction id of the sending
 * device. A message's content is limited to {@link ToDeviceHandler#MAX_CONTENT_BYTES}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3sendtodeviceeventtypetxnid">spec</a>
 */
public final class SendToDeviceEndpoint extends JsonEndpoint<ToDeviceMessages, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ToDeviceMessages, EmptyResponse> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/sendToDevice/{eventType}/{txnId}", ToDeviceMessages.class, EmptyResponse.class)
            .rateLimited("to_device");

    private final ToDeviceHandler toDevice;

    public SendToDeviceEndpoint(ToDeviceHandler toDevice) {
        super(SPEC);
        this.toDevice = toDevice;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, ToDeviceMessages messages) {
        Requester requester = request.requireRequester();
        String scope = TransactionScope.of(request);
        toDevice.send(requester.userId(), scope, request.pathParam("eventType"), request.pathParam("txnId"), messages);
        return EmptyResponse.INSTANCE;
    }
}
