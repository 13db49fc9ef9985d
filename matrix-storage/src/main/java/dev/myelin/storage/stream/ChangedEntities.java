package dev.myelin.storage.stream;

/**
 * What a {@linkplain StreamIds#changes per-entity change cache} of a stream records: which rooms or
 * users a write on the stream touched, so that readers with an older position skip the ones it did not.
 */
public enum ChangedEntities {
    /** Rooms with an event on the events stream. */
    ROOM_EVENTS(Stream.EVENTS),
    /** Rooms whose membership changed: a member event, or state resolution replacing the current state. */
    ROOM_MEMBERSHIPS(Stream.EVENTS),
    /** State keys (users) of member events: a user's own membership changes. */
    USER_MEMBERSHIPS(Stream.EVENTS),
    /** Users whose global or room account data (or tags) changed. */
    ACCOUNT_DATA(Stream.ACCOUNT_DATA),
    /** Rooms with a new receipt. */
    RECEIPTS(Stream.RECEIPTS),
    /** Users with a new to-device message for one of their devices. */
    TO_DEVICE(Stream.TO_DEVICE),
    /** Users whose device list changed (seen by everyone or by one viewer). */
    DEVICE_LISTS(Stream.DEVICE_LISTS);

    private final Stream stream;

    ChangedEntities(Stream stream) {
        this.stream = stream;
    }

    /** The stream whose positions the cache records. */
    public Stream stream() {
        return stream;
    }
}
