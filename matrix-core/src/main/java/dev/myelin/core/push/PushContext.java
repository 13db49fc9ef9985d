package dev.myelin.core.push;

import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.event.content.PowerLevelsContent;
import dev.myelin.core.id.UserId;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the evaluator needs to know besides the event and the rules, for one user and one event.
 *
 * @param user               whose rules are evaluated (the would-be recipient)
 * @param displayName        the user's display name in the room, for {@code contains_display_name}
 * @param memberCount        the room's joined member count, for {@code room_member_count}
 * @param senderPowerLevel   the event sender's power level, for {@code sender_notification_permission}
 * @param notificationLevels the power levels' {@code notifications} map as written (e.g. {@code room → 50})
 */
public record PushContext(
        UserId user,
        Optional<String> displayName,
        long memberCount,
        long senderPowerLevel,
        Map<String, Long> notificationLevels) {

    /**
     * The level a sender needs for a notification kind when the power levels do not say: 50,
     * the spec's default for {@code room}, also used for kinds the spec does not define so an
     * unknown kind is never easier to trigger than {@code @room}.
     */
    public static final long DEFAULT_NOTIFICATION_LEVEL = 50;

    /** Copies the notification levels. */
    public PushContext {
        notificationLevels = Map.copyOf(notificationLevels);
    }

    /** The context for an event of {@code sender}, reading levels from the room's power levels. */
    public static PushContext of(
            UserId user, @Nullable String displayName, long memberCount, PowerLevels powerLevels, UserId sender) {
        return new PushContext(
                user,
                Optional.ofNullable(displayName),
                memberCount,
                powerLevels.userLevel(sender),
                powerLevels.content().map(PowerLevelsContent::notifications).orElse(Map.of()));
    }

    /** The level a sender needs to trigger a notification of {@code key}. */
    public long requiredNotificationLevel(String key) {
        return notificationLevels.getOrDefault(key, DEFAULT_NOTIFICATION_LEVEL);
    }
}
