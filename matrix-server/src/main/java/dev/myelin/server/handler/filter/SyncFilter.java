package dev.myelin.server.handler.filter;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A whole filter as uploaded with {@code POST /user/{userId}/filter} or passed inline to
 * {@code /sync}; {@link FilterParser} builds and validates it.
 *
 * @param eventFields dotted paths of the event fields to keep (all when null)
 * @param federationFormat whether events are served in the federation format
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3useruseridfilter">Filter</a>
 */
public record SyncFilter(
        EventFilter presence,
        EventFilter accountData,
        RoomFilter room,
        @Nullable List<String> eventFields,
        boolean federationFormat) {
    public static final SyncFilter DEFAULT =
            new SyncFilter(EventFilter.ALL, EventFilter.ALL, RoomFilter.ALL, null, false);
}
