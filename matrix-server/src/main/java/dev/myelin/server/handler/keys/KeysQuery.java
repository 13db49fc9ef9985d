package dev.myelin.server.handler.keys;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.server.handler.RequestChecks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /keys/query}.
 *
 * @param deviceKeys the users whose keys are wanted, each with the devices wanted (none: all)
 * @param timeout how long to wait for other servers, in milliseconds (absent: 10 seconds, as the
 *     spec recommends); not sent between servers
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery">spec</a>
 */
public record KeysQuery(
        Map<String, List<String>> deviceKeys, @Nullable Long timeout) {

    /** Checks that every key is a user id, every value a list of device ids, and the timeout. */
    public KeysQuery {
        RemoteKeys.checkTimeout(timeout);
        RequestChecks.noNullValues(EndpointJson.required(deviceKeys, "device_keys"), "device_keys");
        deviceKeys.forEach((user, devices) -> {
            KeysHandler.userId(user, "device_keys");
            RequestChecks.noNullElements(devices, "device_keys." + user);
        });
    }

    /** How long to wait for other servers. */
    Duration remoteTimeout() {
        return RemoteKeys.timeout(timeout);
    }

    /** The wanted devices by user, in the order asked. */
    Map<UserId, Set<String>> byUser() {
        Map<UserId, Set<String>> wanted = new LinkedHashMap<>();
        deviceKeys.forEach((user, devices) -> wanted.put(UserId.parse(user), new LinkedHashSet<>(devices)));
        return wanted;
    }
}
