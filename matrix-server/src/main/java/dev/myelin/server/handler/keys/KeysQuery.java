package dev.myelin.server.handler.keys;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.server.handler.RequestChecks;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /keys/query}.
 *
 * @param deviceKeys the users whose keys are wanted, each with the devices wanted (none: all)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery">spec</a>
 */
public record KeysQuery(Map<String, List<String>> deviceKeys) {

    /** Checks that every key is a user id and every value a list of device ids. */
    public KeysQuery {
        RequestChecks.noNullValues(EndpointJson.required(deviceKeys, "device_keys"), "device_keys");
        deviceKeys.forEach((user, devices) -> {
            KeysHandler.userId(user, "device_keys");
            RequestChecks.noNullElements(devices, "device_keys." + user);
        });
    }

    /** The wanted devices by user, in the order asked. */
    Map<UserId, Set<String>> byUser() {
        Map<UserId, Set<String>> wanted = new LinkedHashMap<>();
        deviceKeys.forEach((user, devices) -> wanted.put(UserId.parse(user), new LinkedHashSet<>(devices)));
        return wanted;
    }
}
