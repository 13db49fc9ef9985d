package dev.myelin.server.handler.presence;

import org.jspecify.annotations.Nullable;

/**
 * What clients see of a user's presence: the answer of {@code GET /presence/{userId}/status} and
 * the content of an {@code m.presence} event.
 *
 * @param presence {@code online}, {@code unavailable} or {@code offline}
 * @param lastActiveAgo milliseconds since the user was last active; absent when never active
 * @param currentlyActive whether the user is online
 * @param statusMsg the status message, when set
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3presenceuseridstatus">spec</a>
 */
public record PresenceContent(
        String presence,
        @Nullable Long lastActiveAgo,
        boolean currentlyActive,
        @Nullable String statusMsg) {}
