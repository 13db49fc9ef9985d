package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code GET /user/devices/{userId}}: a user's whole device list at one
 * {@code stream_id}, which later {@code m.device_list_update} EDUs continue. Key objects stay JSON:
 * they are signed. Another server's answer is untrusted: its parts are checked where used.
 *
 * @param userId the user whose devices these are
 * @param streamId the version of the list, matched with the EDUs' {@code stream_id}
 * @param devices every device of the user
 * @param masterKey the user's master cross-signing key, if they have one
 * @param selfSigningKey the user's self-signing key, if they have one
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1userdevicesuserid">spec</a>
 */
public record UserDevicesResponse(
        String userId,
        long streamId,
        List<Device> devices,
        @Nullable ObjectNode masterKey,
        @Nullable ObjectNode selfSigningKey) {

    /**
     * One device.
     *
     * @param deviceId the device id
     * @param keys its device keys (an object; anything else from another server is ignored)
     * @param deviceDisplayName its display name, when the server shares it
     */
    public record Device(
            String deviceId,
            @Nullable JsonNode keys,
            @Nullable String deviceDisplayName) {}
}
