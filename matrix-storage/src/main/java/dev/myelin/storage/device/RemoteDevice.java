package dev.myelin.storage.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One device of another server's user, as that server last described it.
 *
 * @param deviceId the device id
 * @param displayName its display name, when the server shares it
 * @param keys its device keys as sent (signed JSON), when it has uploaded any
 */
public record RemoteDevice(String deviceId, Optional<String> displayName, Optional<ObjectNode> keys) {}
