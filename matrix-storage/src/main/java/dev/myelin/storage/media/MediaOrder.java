package dev.myelin.storage.media;

import java.util.Locale;
import java.util.Optional;

/** What the admin's list of a user's uploads is ordered by: Synapse's {@code order_by} values. */
public enum MediaOrder {
    MEDIA_ID,
    UPLOAD_NAME,
    CREATED_TS,
    LAST_ACCESS_TS,
    MEDIA_LENGTH,
    MEDIA_TYPE,
    QUARANTINED_BY,
    SAFE_FROM_QUARANTINE;

    /** The order named {@code name} as in Synapse ({@code created_ts}, ...), if there is one. */
    public static Optional<MediaOrder> named(String name) {
        for (MediaOrder order : values()) {
            if (order.name().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(order);
            }
        }
        return Optional.empty();
    }
}
