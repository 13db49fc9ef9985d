package dev.myelin.storage.persist;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.keys.E2eKeyStore;

/**
 * Device changes that write more than one store: deleting a device's keys and logging the device list
 * change happen in one transaction, so a reader of {@code device_lists.changed} never sees the change
 * without the keys being gone, or the keys gone without the change.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#tracking-the-device-list-for-a-user">Tracking
 *      the device list for a user</a>
 */
public final class DeviceListChanges {
    private final Database db;
    private final E2eKeyStore keys;
    private final DeviceListStore deviceLists;

    /**
     * Creates the flow over the stores it writes.
     *
     * @param db          the database whose write transaction spans both stores
     * @param keys        the device keys to delete
     * @param deviceLists the change log to append to
     */
    public DeviceListChanges(Database db, E2eKeyStore keys, DeviceListStore deviceLists) {
        this.db = db;
        this.keys = keys;
        this.deviceLists = deviceLists;
    }

    /**
     * Deletes every key of {@code device} and logs the change of {@code user}'s device list, in one
     * transaction.
     *
     * @param user   the device's owner
     * @param device the device being deleted
     */
    public void deviceDeleted(UserId user, DeviceId device) {
        db.update(tx -> {
            keys.deleteDevice(tx, user, device);
            deviceLists.recordChange(tx, user, device);
        });
    }
}
