package dev.myelin.server.handler.slidingsync;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One simplified sliding sync request (MSC4186), as read from its body and query: the lists of rooms
 * with their windows and filters, the rooms subscribed to, and the extensions asked for.
 *
 * @param connId the connection within the user's device ({@code ""} when the client names none)
 * @param pos the position the connection reached, absent on its first request
 * @param unsubscribe rooms whose subscription (kept from earlier requests of the connection) ends
 * @see <a href="https://github.com/matrix-org/matrix-spec-proposals/pull/4186">MSC4186</a>
 */
public record SlidingSyncRequest(
        UserId user,
        Optional<DeviceId> device,
        String connId,
        Optional<String> pos,
        Duration timeout,
        Map<String, ListConfig> lists,
        Map<RoomId, RoomConfig> subscriptions,
        Set<RoomId> unsubscribe,
        Extensions extensions) {

    /** A list: its windows into the filtered, recency-sorted rooms (empty: all of them) and room config. */
    public record ListConfig(List<Range> ranges, RoomConfig room, ListFilters filters) {}

    /** An inclusive window {@code [start, end]} into a list. */
    public record Range(int start, int end) {
        boolean contains(int index) {
            return index >= start && index <= end;
        }
    }

    /** What to send of a room: the timeline's length and which state. */
    public record RoomConfig(int timelineLimit, RequiredState requiredState) {
        /** The superset of two configs, for a room several lists or a subscription match. */
        RoomConfig combine(RoomConfig other) {
            return new RoomConfig(
                    Math.max(timelineLimit, other.timelineLimit), requiredState.combine(other.requiredState));
        }
    }

    /**
     * A list's filters; each absent one lets every room through. A room type of {@code null} in the
     * JSON (a room without a type) is the empty string here.
     */
    public record ListFilters(
            Optional<Boolean> isDm,
            Optional<List<RoomId>> spaces,
            Optional<Boolean> isEncrypted,
            Optional<Boolean> isInvite,
            Optional<Set<String>> roomTypes,
            Optional<Set<String>> notRoomTypes) {
        static final ListFilters NONE = new ListFilters(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Which rooms an extension covers: lists by key and subscribed rooms, {@code "*"} meaning all of
     * them (the default for both).
     */
    public record Scope(List<String> lists, List<String> rooms) {
        static final Scope ALL = new Scope(List.of("*"), List.of("*"));
    }

    /** The to-device extension: the last {@code next_batch} the client got, and how many messages at most. */
    public record ToDevice(Optional<Long> since, int limit) {}

    /** The extensions asked for; an absent one is not enabled. */
    public record Extensions(
            Optional<ToDevice> toDevice,
            boolean e2ee,
            Optional<Scope> accountData,
            Optional<Scope> receipts,
            Optional<Scope> typing) {
        static final Extensions NONE =
                new Extensions(Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
