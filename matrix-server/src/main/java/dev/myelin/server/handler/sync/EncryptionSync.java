package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;

/**
 * The end-to-end encryption parts of a {@code /sync} response: {@code device_lists},
 * {@code device_one_time_keys_count} and {@code device_unused_fallback_key_types}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#extensions-to-sync">Extensions to /sync</a>
 */
public interface EncryptionSync {
    /** {@code {"changed": [...], "left": [...]}} for an incremental sync from {@code since} to {@code now}. */
    ObjectNode deviceLists(UserId user, SyncToken since, SyncToken now);

    /** The device's unclaimed one-time keys per algorithm. */
    ObjectNode oneTimeKeyCounts(UserId user, DeviceId device);

    /** The algorithms of the device's fallback keys that have not been used. */
    ArrayNode unusedFallbackKeyTypes(UserId user, DeviceId device);
}
