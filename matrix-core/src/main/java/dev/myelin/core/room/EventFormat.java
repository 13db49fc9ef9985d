package dev.myelin.core.room;

/**
 * The shape of a PDU in a room version.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/">Room versions</a>
 */
public enum EventFormat {
    /**
     * Versions 1 and 2: {@code event_id} is a field of the event ({@code $opaque:server}), and
     * {@code prev_events}/{@code auth_events} are lists of {@code [event_id, {hashes}]} pairs.
     */
    V1,
    /** Version 3: event ids are {@code $} + the standard unpadded base64 reference hash. */
    V3,
    /** Versions 4 to 11: event ids use the url-safe unpadded base64 alphabet. */
    V4,
    /**
     * Version 12: as {@link #V4}, but the room id is {@code !} + the create event's reference
     * hash, so the create event has no {@code room_id} and is never listed in
     * {@code auth_events}.
     */
    V12;

    /** True when {@code event_id} is carried in the event itself rather than derived from its hash. */
    public boolean eventIdInEvent() {
        return this == V1;
    }

    /** True when event ids are reference hashes written with the url-safe base64 alphabet. */
    public boolean urlSafeEventIds() {
        return this == V4 || this == V12;
    }

    /** True when the room id is derived from the create event (no {@code room_id} on create). */
    public boolean roomIdFromCreateEvent() {
        return this == V12;
    }
}
