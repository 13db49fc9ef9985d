package dev.myelin.server.handler.keys;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /keys/claim}.
 *
 * @param oneTimeKeys the keys wanted: user id, then device id, then algorithm
 * @param timeout how long to wait for other servers, in milliseconds (absent: 10 seconds, as the
 *     spec recommends); not sent between servers
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysclaim">spec</a>
 */
public record KeysClaim(
        Map<String, Map<String, String>> oneTimeKeys,
        @Nullable Long timeout) {

    /** Checks every user id, device id and algorithm, and the timeout. */
    public KeysClaim {
        RemoteKeys.checkTimeout(timeout);
        RequestChecks.noNullValues(EndpointJson.required(oneTimeKeys, "one_time_keys"), "one_time_keys");
        oneTimeKeys.forEach((user, devices) -> {
            KeysHandler.userId(user, "one_time_keys");
            RequestChecks.noNullValues(devices, "one_time_keys." + user);
            devices.keySet().forEach(KeysClaim::deviceId);
        });
    }

    /** How long to wait for other servers. */
    Duration remoteTimeout() {
        return RemoteKeys.timeout(timeout);
    }

    /** The wanted algorithm by user and device, users in the order asked. */
    Map<UserId, Map<DeviceId, String>> byUser() {
        Map<UserId, Map<DeviceId, String>> wanted = new LinkedHashMap<>();
        oneTimeKeys.forEach((user, devices) -> {
            Map<DeviceId, String> byDevice = new TreeMap<>();
            devices.forEach((device, algorithm) -> byDevice.put(deviceId(device), algorithm));
            wanted.put(UserId.parse(user), byDevice);
        });
        return wanted;
    }

    private static DeviceId deviceId(String value) {
        try {
            return DeviceId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("one_time_keys", e.getMessage());
        }
    }
}
