package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The content of {@code m.room.guest_access}.
 *
 * @param guestAccess the access; {@link GuestAccess#FORBIDDEN} when missing or unknown
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomguest_access">m.room.guest_access</a>
 */
public record GuestAccessContent(GuestAccess guestAccess) {
    /**
     * Reads {@code m.room.guest_access} content; anything but {@code can_join} forbids.
     *
     * @param content the event content
     * @return the access
     */
    public static GuestAccessContent from(ObjectNode content) {
        return new GuestAccessContent(
                GuestAccess.parse(Json.text(content, "guest_access").orElse("")));
    }
}
