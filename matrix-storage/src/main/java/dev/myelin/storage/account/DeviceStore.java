package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.DEVICES;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.DevicesRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Users' devices: display names and where they were last seen. Tokens live in {@link AccessTokenStore}. */
public final class DeviceStore {
    private final Database db;
    private final Clock clock;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param clock the time source for timestamps and expiry
     */
    public DeviceStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds the device if it is new; returns false (keeping the old display name) if it already exists. */
    public boolean create(UserId user, DeviceId device, @Nullable String displayName) {
        return db.write(tx -> tx.dsl()
                        .insertInto(DEVICES)
                        .set(DEVICES.USER_ID, user.toString())
                        .set(DEVICES.DEVICE_ID, device.value())
                        .set(DEVICES.DISPLAY_NAME, displayName)
                        .onConflictDoNothing()
                        .execute())
                == 1;
    }

    /**
     * One device of a user.
     *
     * @param user the owner
     * @param device the device id
     * @return the device, if it exists
     */
    public Optional<Device> get(UserId user, DeviceId device) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(DEVICES)
                        .where(DEVICES.USER_ID.eq(user.toString()), DEVICES.DEVICE_ID.eq(device.value()))
                        .fetchOptional())
                .map(DeviceStore::toDevice);
    }

    /** Every device of the user, ordered by device id. */
    public List<Device> list(UserId user) {
        return db.read(tx -> tx.dsl()
                .selectFrom(DEVICES)
                .where(DEVICES.USER_ID.eq(user.toString()))
                .orderBy(DEVICES.DEVICE_ID)
                .fetch(DeviceStore::toDevice));
    }

    /**
     * Sets or clears a device's display name.
     *
     * @param user the owner
     * @param device the device id
     * @param displayName the new name, or null to clear it
     * @return false if the device does not exist
     */
    public boolean setDisplayName(UserId user, DeviceId device, @Nullable String displayName) {
        return db.write(tx -> tx.dsl()
                        .update(DEVICES)
                        .set(DEVICES.DISPLAY_NAME, displayName)
                        .where(DEVICES.USER_ID.eq(user.toString()), DEVICES.DEVICE_ID.eq(device.value()))
                        .execute())
                == 1;
    }

    /** Records a request from the device now. */
    public void recordSeen(UserId user, DeviceId device, String ip, String userAgent) {
        long now = clock.nowMillis();
        db.update(tx -> tx.dsl()
                .update(DEVICES)
                .set(DEVICES.LAST_SEEN_IP, ip)
                .set(DEVICES.LAST_SEEN_USER_AGENT, userAgent)
                .set(DEVICES.LAST_SEEN_TS, now)
                .where(DEVICES.USER_ID.eq(user.toString()), DEVICES.DEVICE_ID.eq(device.value()))
                .execute());
    }

    /**
     * Deletes a device.
     *
     * @param user the owner
     * @param device the device id
     * @return whether it existed
     */
    public boolean delete(UserId user, DeviceId device) {
        return db.write(tx -> tx.dsl()
                        .deleteFrom(DEVICES)
                        .where(DEVICES.USER_ID.eq(user.toString()), DEVICES.DEVICE_ID.eq(device.value()))
                        .execute())
                == 1;
    }

    private static Device toDevice(DevicesRecord r) {
        return new Device(
                UserId.parse(r.getUserId()),
                new DeviceId(r.getDeviceId()),
                Optional.ofNullable(r.getDisplayName()),
                Optional.ofNullable(r.getLastSeenIp()),
                Optional.ofNullable(r.getLastSeenUserAgent()),
                Optional.ofNullable(r.getLastSeenTs()).map(Instant::ofEpochMilli));
    }
}
