package dev.myelin.storage.device;

import static dev.myelin.storage.schema.Tables.DEVICE_LIST_OUTBOUND;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.OptionalLong;

/**
 * What other servers were last told of each local user's device list: the {@code stream_id} of
 * the last {@code m.device_list_update} sent to a server about a user (or of the list it fetched
 * through {@code /user/devices}), which the next update to that server names as its
 * {@code prev_id}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#device-management">Device Management</a>
 */
public final class DeviceListOutboxStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public DeviceListOutboxStore(Database db) {
        this.db = db;
    }

    /** The {@code stream_id} last sent to {@code destination} about {@code user}, if any. */
    public OptionalLong lastSent(ServerName destination, UserId user) {
        return db.read(tx -> tx.dsl()
                .select(DEVICE_LIST_OUTBOUND.STREAM_ID)
                .from(DEVICE_LIST_OUTBOUND)
                .where(
                        DEVICE_LIST_OUTBOUND.DESTINATION.eq(destination.value()),
                        DEVICE_LIST_OUTBOUND.USER_ID.eq(user.toString()))
                .fetchOptional(DEVICE_LIST_OUTBOUND.STREAM_ID)
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty()));
    }

    /** The highest {@code stream_id} sent to any server about {@code user}, or 0. */
    public long maxSent(UserId user) {
        Long max = db.read(tx -> tx.dsl()
                .select(org.jooq.impl.DSL.max(DEVICE_LIST_OUTBOUND.STREAM_ID))
                .from(DEVICE_LIST_OUTBOUND)
                .where(DEVICE_LIST_OUTBOUND.USER_ID.eq(user.toString()))
                .fetchOne(0, Long.class));
        return max == null ? 0 : max;
    }

    /** Records that {@code destination} was told of {@code user}'s list at {@code streamId}. */
    public void recordSent(ServerName destination, UserId user, long streamId) {
        db.update(tx -> tx.dsl()
                .insertInto(DEVICE_LIST_OUTBOUND)
                .set(DEVICE_LIST_OUTBOUND.DESTINATION, destination.value())
                .set(DEVICE_LIST_OUTBOUND.USER_ID, user.toString())
                .set(DEVICE_LIST_OUTBOUND.STREAM_ID, streamId)
                .onConflict(DEVICE_LIST_OUTBOUND.DESTINATION, DEVICE_LIST_OUTBOUND.USER_ID)
                .doUpdate()
                .set(DEVICE_LIST_OUTBOUND.STREAM_ID, streamId)
                .execute());
    }
}
