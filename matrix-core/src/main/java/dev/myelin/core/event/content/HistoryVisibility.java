package dev.myelin.core.event.content;

/**
 * Who may read a room's history. The spec treats a missing or unknown value as {@link #SHARED}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-history-visibility">History visibility</a>
 */
public enum HistoryVisibility {
    /** Members see events from when they were invited. */
    INVITED("invited"),
    /** Members see events from when they joined. */
    JOINED("joined"),
    /** Members see all history, including from before they joined. */
    SHARED("shared"),
    /** Anyone sees all history, members or not. */
    WORLD_READABLE("world_readable");

    private final String value;

    HistoryVisibility(String value) {
        this.value = value;
    }

    /**
     * The value as written in the event.
     *
     * @return e.g. {@code world_readable}
     */
    public String value() {
        return value;
    }

    /** The visibility written {@code value}; {@link #SHARED} for an unknown value. */
    public static HistoryVisibility parse(String value) {
        for (HistoryVisibility v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        return SHARED;
    }

    @Override
    public String toString() {
        return value;
    }
}
