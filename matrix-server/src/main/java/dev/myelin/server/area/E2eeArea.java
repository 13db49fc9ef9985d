package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.keys.ClaimKeysEndpoint;
import dev.myelin.server.api.client.keys.KeyChangesEndpoint;
import dev.myelin.server.api.client.keys.QueryKeysEndpoint;
import dev.myelin.server.api.client.keys.UploadCrossSigningKeysEndpoint;
import dev.myelin.server.api.client.keys.UploadKeysEndpoint;
import dev.myelin.server.api.client.keys.UploadSignaturesEndpoint;
import dev.myelin.server.api.federation.UserDevicesEndpoint;
import dev.myelin.server.api.federation.UserKeysClaimEndpoint;
import dev.myelin.server.api.federation.UserKeysQueryEndpoint;
import dev.myelin.server.handler.federation.EduHandler;
import dev.myelin.server.handler.keys.CrossSigning;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.server.handler.keys.KeysHandler;
import dev.myelin.server.handler.keys.KeysSync;
import dev.myelin.server.handler.keys.OutboundDeviceLists;
import dev.myelin.server.handler.keys.RemoteDeviceLists;
import dev.myelin.server.handler.keys.RemoteKeys;
import dev.myelin.server.handler.sync.EncryptionSync;
import dev.myelin.storage.device.DeviceListOutboxStore;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.device.RemoteDeviceListStore;
import dev.myelin.storage.keys.CrossSigningStore;
import dev.myelin.storage.keys.E2eKeyStore;
import java.util.Map;

/**
 * End-to-end encryption keys: device and one-time keys, cross-signing keys and signatures, and the
 * device-list change log; other servers' users' keys asked of their servers, and this server's
 * users' keys served to other servers ({@code /_matrix/federation/v1/user/keys/*}, {@code /user/devices}); device list
 * updates sent to and received from other servers ({@code m.device_list_update}, {@code m.signing_key_update}). Offers the device-list tracker (device changes are logged through it) and
 * the key parts of {@code /sync}.
 */
public final class E2eeArea {
    private final DeviceLists deviceLists;
    private final EncryptionSync sync;
    private final Map<String, EduHandler> edus;

    private E2eeArea(DeviceLists deviceLists, EncryptionSync sync, Map<String, EduHandler> edus) {
        this.deviceLists = deviceLists;
        this.sync = sync;
        this.edus = edus;
    }

    public static E2eeArea install(Router router, Core core, RoomCore rooms, FederationOutbound federation) {
        DeviceListStore changes = new DeviceListStore(core.database(), core.streams());
        E2eKeyStore keyStore = new E2eKeyStore(core.database(), changes);
        CrossSigningStore crossSigningStore = new CrossSigningStore(core.database(), changes);
        DeviceLists deviceLists =
                new DeviceLists(changes, core.database(), keyStore, rooms.state(), rooms.events(), core.notifier());
        RemoteDeviceLists remoteLists = new RemoteDeviceLists(
                core.serverName(),
                new RemoteDeviceListStore(core.database()),
                rooms.state(),
                rooms.events(),
                deviceLists,
                federation.client());
        rooms.eventListeners().add(remoteLists);
        KeysHandler keys = new KeysHandler(
                core.serverName(),
                keyStore,
                crossSigningStore,
                core.devices(),
                deviceLists,
                new RemoteKeys(federation.client(), core.clock()),
                remoteLists);
        OutboundDeviceLists outbound = new OutboundDeviceLists(
                core.serverName(),
                keys,
                changes,
                new DeviceListOutboxStore(core.database()),
                rooms.state(),
                federation.sender());
        deviceLists.addListener(outbound);
        CrossSigning crossSigning = new CrossSigning(crossSigningStore, core.devices(), keyStore, deviceLists);
        // The key endpoints began under /unstable, where clients of that time still send them
        // (cross-signing upload especially); they are the same endpoints as under /v3.
        router.aliasPrefix("/_matrix/client/unstable/keys/", "/_matrix/client/v3/keys/");
        router.register(new UploadKeysEndpoint(keys));
        router.register(new QueryKeysEndpoint(keys));
        router.register(new ClaimKeysEndpoint(keys));
        router.register(new KeyChangesEndpoint(deviceLists));
        router.register(new UploadCrossSigningKeysEndpoint(crossSigning, core.uia()));
        router.register(new UploadSignaturesEndpoint(crossSigning));
        router.register(new UserKeysQueryEndpoint(keys));
        router.register(new UserKeysClaimEndpoint(keys));
        router.register(new UserDevicesEndpoint(outbound));
        return new E2eeArea(
                deviceLists,
                new KeysSync(deviceLists, keyStore),
                Map.of(
                        OutboundDeviceLists.DEVICE_LIST_UPDATE,
                        remoteLists::onDeviceListUpdate,
                        OutboundDeviceLists.SIGNING_KEY_UPDATE,
                        remoteLists::onSigningKeyUpdate));
    }

    public DeviceLists deviceLists() {
        return deviceLists;
    }

    /** What the EDUs of device lists and cross-signing keys from other servers do, by EDU type. */
    public Map<String, EduHandler> edus() {
        return edus;
    }

    /** The {@code device_lists} and key counts of {@code /sync}. */
    public EncryptionSync sync() {
        return sync;
    }
}
