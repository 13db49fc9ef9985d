package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.server.handler.sync.EncryptionSync;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.storage.keys.E2eKeyStore;

/** The key parts of {@code /sync}, from the device list log and the key store. */
public final class KeysSync implements EncryptionSync {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final DeviceLists deviceLists;
    private final E2eKeyStore keys;

    public KeysSync(DeviceLists deviceLists, E2eKeyStore keys) {
        this.deviceLists = deviceLists;
        this.keys = keys;
    }

    @Override
    public ObjectNode deviceLists(UserId user, SyncToken since, SyncToken now) {
        DeviceLists.Changes changes =
                deviceLists.changes(user, since.events(), now.events(), since.deviceLists(), now.deviceLists());
        return (ObjectNode) EndpointJson.toTree(DeviceListChanges.of(changes));
    }

    @Override
    public ObjectNode oneTimeKeyCounts(UserId user, DeviceId device) {
        return (ObjectNode) EndpointJson.toTree(KeysHandler.counts(keys.oneTimeKeyCounts(user, device)));
    }

    @Override
    public ArrayNode unusedFallbackKeyTypes(UserId user, DeviceId device) {
        ArrayNode types = NODES.arrayNode();
        keys.unusedFallbackKeyAlgorithms(user, device).forEach(types::add);
        return types;
    }
}
