package dev.myelin.server.handler.todevice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code PUT /sendToDevice/{eventType}/{txnId}}: user id, then device id or {@code *},
 * then the message content. The whole body is checked when it is bound, so a request with one bad
 * message sends nothing. Contents are free-form (mostly Olm-encrypted payloads), so they stay JSON
 * objects, each at most {@link ToDeviceHandler#MAX_CONTENT_BYTES}.
 *
 * @param messages the messages by user id and device id
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3sendtodeviceeventtypetxnid">spec</a>
 */
public record ToDeviceMessages(Map<String, Map<String, ObjectNode>> messages) {
    static final String ALL_DEVICES = "*";

    /** Checks every user id, device id and content. */
    public ToDeviceMessages {
        EndpointJson.required(messages, "messages");
        RequestChecks.noNullValues(messages, "messages");
        for (Map.Entry<String, Map<String, ObjectNode>> user : messages.entrySet()) {
            try {
                UserId.parse(user.getKey());
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("messages", "'" + user.getKey() + "' is not a user id");
            }
            RequestChecks.noNullValues(user.getValue(), "messages." + user.getKey());
            for (Map.Entry<String, ObjectNode> device : user.getValue().entrySet()) {
                if (!device.getKey().equals(ALL_DEVICES)) {
                    try {
                        DeviceId.parse(device.getKey());
                    } catch (InvalidIdentifierException e) {
                        throw MatrixException.invalidParam("messages", "'" + device.getKey() + "' is not a device id");
                    }
                }
                if (device.getValue().toString().getBytes(StandardCharsets.UTF_8).length
                        > ToDeviceHandler.MAX_CONTENT_BYTES) {
                    throw new MatrixException(
                            413,
                            ErrorCode.TOO_LARGE,
                            "A to-device message may be at most " + ToDeviceHandler.MAX_CONTENT_BYTES + " bytes");
                }
            }
        }
    }

    /** The messages by recipient (device id or {@code *}, then content). */
    Map<UserId, Map<String, ObjectNode>> byUser() {
        Map<UserId, Map<String, ObjectNode>> parsed = new LinkedHashMap<>();
        messages.forEach((user, byDevice) -> parsed.computeIfAbsent(UserId.parse(user), u -> new LinkedHashMap<>())
                .putAll(byDevice));
        return parsed;
    }
}
