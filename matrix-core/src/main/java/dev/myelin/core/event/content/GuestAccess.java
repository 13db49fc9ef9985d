package dev.myelin.core.event.content;

/**
 * Whether guests may join a room. A missing or unknown value means {@link #FORBIDDEN}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#guest-access">Guest access</a>
 */
public enum GuestAccess {
    /** Guests may join. */
    CAN_JOIN("can_join"),
    /** Guests may not join. */
    FORBIDDEN("forbidden");

    private final String value;

    GuestAccess(String value) {
        this.value = value;
    }

    /**
     * The value as written in the event.
     *
     * @return {@code can_join} or {@code forbidden}
     */
    public String value() {
        return value;
    }

    /** The access written {@code value}; {@link #FORBIDDEN} for anything but {@code can_join}. */
    public static GuestAccess parse(String value) {
        return CAN_JOIN.value.equals(value) ? CAN_JOIN : FORBIDDEN;
    }

    @Override
    public String toString() {
        return value;
    }
}
