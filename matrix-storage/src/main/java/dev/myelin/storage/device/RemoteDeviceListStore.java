package dev.myelin.storage.device;

import static dev.myelin.storage.schema.Tables.REMOTE_CROSS_SIGNING_KEYS;
import static dev.myelin.storage.schema.Tables.REMOTE_DEVICES;
import static dev.myelin.storage.schema.Tables.REMOTE_DEVICE_LISTS;
import static dev.myelin.storage.schema.Tables.REMOTE_DEVICE_LIST_UPDATES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.internal.Json;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cache of other servers' users' device lists and cross-signing keys, kept up to date from
 * {@code m.device_list_update} and {@code m.signing_key_update} EDUs while a local user shares a
 * room with them. A user is cached only once a whole list was fetched ({@link #replace}); updates
 * apply to a cached list only.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#device-management">Device Management</a>
 */
public final class RemoteDeviceListStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RemoteDeviceListStore(Database db) {
        this.db = db;
    }

    /**
     * A cached list's version.
     *
     * @param streamId the {@code stream_id} of the last update applied
     * @param eventsPosition the events stream position when the whole list was fetched
     */
    public record CachedList(long streamId, long eventsPosition) {}

    /** What is cached of {@code user}'s list, when it is. */
    public Optional<CachedList> cached(UserId user) {
        return db.read(tx -> tx.dsl()
                .select(REMOTE_DEVICE_LISTS.STREAM_ID, REMOTE_DEVICE_LISTS.EVENTS_POSITION)
                .from(REMOTE_DEVICE_LISTS)
                .where(REMOTE_DEVICE_LISTS.USER_ID.eq(user.toString()))
                .fetchOptional(r -> new CachedList(r.value1(), r.value2())));
    }

    /** Whether every one of {@code streamIds} is an update already applied to {@code user}'s cached list. */
    public boolean knowsAll(UserId user, Collection<Long> streamIds) {
        if (streamIds.isEmpty()) {
            return true;
        }
        Set<Long> known = new HashSet<>(db.read(tx -> tx.dsl()
                .select(REMOTE_DEVICE_LIST_UPDATES.STREAM_ID)
                .from(REMOTE_DEVICE_LIST_UPDATES)
                .where(
                        REMOTE_DEVICE_LIST_UPDATES.USER_ID.eq(user.toString()),
                        REMOTE_DEVICE_LIST_UPDATES.STREAM_ID.in(streamIds))
                .fetch(REMOTE_DEVICE_LIST_UPDATES.STREAM_ID)));
        return known.containsAll(streamIds);
    }

    /**
     * Replaces {@code user}'s cached list by a whole one fetched from their server.
     *
     * @param user the user
     * @param streamId the list's {@code stream_id}
     * @param eventsPosition the events stream position as the list was fetched
     * @param devices every device of the user
     * @param crossSigningKeys the master and self-signing keys by type ({@code master},
     *     {@code self_signing})
     */
    public void replace(
            UserId user,
            long streamId,
            long eventsPosition,
            List<RemoteDevice> devices,
            Map<String, ObjectNode> crossSigningKeys) {
        db.update(tx -> {
            delete(tx, user);
            tx.dsl()
                    .insertInto(REMOTE_DEVICE_LISTS)
                    .set(REMOTE_DEVICE_LISTS.USER_ID, user.toString())
                    .set(REMOTE_DEVICE_LISTS.STREAM_ID, streamId)
                    .set(REMOTE_DEVICE_LISTS.EVENTS_POSITION, eventsPosition)
                    .execute();
            recordUpdate(tx, user, streamId);
            for (RemoteDevice device : devices) {
                putDevice(tx, user, device);
            }
            crossSigningKeys.forEach((type, key) -> putCrossSigningKey(tx, user, type, key));
        });
    }

    /**
     * Applies one update to {@code user}'s cached list: the device is replaced by {@code device}, or
     * removed when {@code device} is empty.
     */
    public void applyUpdate(UserId user, long streamId, String deviceId, Optional<RemoteDevice> device) {
        db.update(tx -> {
            tx.dsl()
                    .deleteFrom(REMOTE_DEVICES)
                    .where(REMOTE_DEVICES.USER_ID.eq(user.toString()), REMOTE_DEVICES.DEVICE_ID.eq(deviceId))
                    .execute();
            if (device.isPresent()) {
                putDevice(tx, user, device.get());
            }
            recordUpdate(tx, user, streamId);
            tx.dsl()
                    .update(REMOTE_DEVICE_LISTS)
                    .set(REMOTE_DEVICE_LISTS.STREAM_ID, streamId)
                    .where(REMOTE_DEVICE_LISTS.USER_ID.eq(user.toString()), REMOTE_DEVICE_LISTS.STREAM_ID.lt(streamId))
                    .execute();
        });
    }

    /** Replaces one of {@code user}'s cached cross-signing keys ({@code master} or {@code self_signing}). */
    public void putCrossSigningKey(UserId user, String type, ObjectNode key) {
        db.update(tx -> putCrossSigningKey(tx, user, type, key));
    }

    /** The cached devices of {@code user}, by device id. */
    public List<RemoteDevice> devices(UserId user) {
        return db.read(tx -> tx.dsl()
                .select(REMOTE_DEVICES.DEVICE_ID, REMOTE_DEVICES.DISPLAY_NAME, REMOTE_DEVICES.KEY_JSON)
                .from(REMOTE_DEVICES)
                .where(REMOTE_DEVICES.USER_ID.eq(user.toString()))
                .orderBy(REMOTE_DEVICES.DEVICE_ID)
                .fetch(r -> new RemoteDevice(
                        r.value1(),
                        Optional.ofNullable(r.value2()),
                        Optional.ofNullable(r.value3()).map(Json::readObject))));
    }

    /** The cached cross-signing keys of {@code user}, by type. */
    public Map<String, ObjectNode> crossSigningKeys(UserId user) {
        Map<String, ObjectNode> keys = new LinkedHashMap<>();
        db.read(tx -> tx.dsl()
                        .select(REMOTE_CROSS_SIGNING_KEYS.KEY_TYPE, REMOTE_CROSS_SIGNING_KEYS.KEY_JSON)
                        .from(REMOTE_CROSS_SIGNING_KEYS)
                        .where(REMOTE_CROSS_SIGNING_KEYS.USER_ID.eq(user.toString()))
                        .fetch())
                .forEach(r -> keys.put(r.value1(), Json.readObject(r.value2())));
        return keys;
    }

    /** Drops everything cached about {@code user}: the list can no longer be kept up to date. */
    public void forget(UserId user) {
        db.update(tx -> delete(tx, user));
    }

    private static void delete(Transaction tx, UserId user) {
        String id = user.toString();
        tx.dsl()
                .deleteFrom(REMOTE_DEVICE_LISTS)
                .where(REMOTE_DEVICE_LISTS.USER_ID.eq(id))
                .execute();
        tx.dsl()
                .deleteFrom(REMOTE_DEVICE_LIST_UPDATES)
                .where(REMOTE_DEVICE_LIST_UPDATES.USER_ID.eq(id))
                .execute();
        tx.dsl().deleteFrom(REMOTE_DEVICES).where(REMOTE_DEVICES.USER_ID.eq(id)).execute();
        tx.dsl()
                .deleteFrom(REMOTE_CROSS_SIGNING_KEYS)
                .where(REMOTE_CROSS_SIGNING_KEYS.USER_ID.eq(id))
                .execute();
    }

    private static void recordUpdate(Transaction tx, UserId user, long streamId) {
        tx.dsl()
                .insertInto(REMOTE_DEVICE_LIST_UPDATES)
                .set(REMOTE_DEVICE_LIST_UPDATES.USER_ID, user.toString())
                .set(REMOTE_DEVICE_LIST_UPDATES.STREAM_ID, streamId)
                .onConflictDoNothing()
                .execute();
    }

    private static void putDevice(Transaction tx, UserId user, RemoteDevice device) {
        tx.dsl()
                .insertInto(REMOTE_DEVICES)
                .set(REMOTE_DEVICES.USER_ID, user.toString())
                .set(REMOTE_DEVICES.DEVICE_ID, device.deviceId())
                .set(REMOTE_DEVICES.DISPLAY_NAME, device.displayName().orElse(null))
                .set(REMOTE_DEVICES.KEY_JSON, device.keys().map(Json::write).orElse(null))
                .onConflict(REMOTE_DEVICES.USER_ID, REMOTE_DEVICES.DEVICE_ID)
                .doUpdate()
                .set(REMOTE_DEVICES.DISPLAY_NAME, device.displayName().orElse(null))
                .set(REMOTE_DEVICES.KEY_JSON, device.keys().map(Json::write).orElse(null))
                .execute();
    }

    private static void putCrossSigningKey(Transaction tx, UserId user, String type, ObjectNode key) {
        tx.dsl()
                .insertInto(REMOTE_CROSS_SIGNING_KEYS)
                .set(REMOTE_CROSS_SIGNING_KEYS.USER_ID, user.toString())
                .set(REMOTE_CROSS_SIGNING_KEYS.KEY_TYPE, type)
                .set(REMOTE_CROSS_SIGNING_KEYS.KEY_JSON, Json.write(key))
                .onConflict(REMOTE_CROSS_SIGNING_KEYS.USER_ID, REMOTE_CROSS_SIGNING_KEYS.KEY_TYPE)
                .doUpdate()
                .set(REMOTE_CROSS_SIGNING_KEYS.KEY_JSON, Json.write(key))
                .execute();
    }
}
