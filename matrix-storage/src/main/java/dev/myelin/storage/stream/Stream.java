package dev.myelin.storage.stream;

import dev.myelin.storage.schema.Sequences;
import org.jooq.Sequence;

/** The streams whose positions clients and workers follow ({@code since} tokens in /sync are built from them). */
public enum Stream {
    /** Room events, by stream ordering. */
    EVENTS("events", Sequences.EVENTS_STREAM_SEQ),
    /** Account data and tags. */
    ACCOUNT_DATA("account_data", Sequences.ACCOUNT_DATA_STREAM_SEQ),
    /** Read receipts. */
    RECEIPTS("receipts", Sequences.RECEIPTS_STREAM_SEQ),
    /** To-device messages. */
    TO_DEVICE("to_device", Sequences.TO_DEVICE_STREAM_SEQ),
    /** Device list changes. */
    DEVICE_LISTS("device_lists", Sequences.DEVICE_LISTS_STREAM_SEQ),
    /**
     * Events fetched from other servers' history ({@code /backfill}): their stream orderings are
     * these positions negated, below every other event's, so they never reach {@code /sync} as new.
     */
    BACKFILL("backfill", Sequences.BACKFILL_STREAM_SEQ);

    private final String storedName;
    private final Sequence<Long> sequence;

    Stream(String storedName, Sequence<Long> sequence) {
        this.storedName = storedName;
        this.sequence = sequence;
    }

    /** The stream named {@code storedName} ({@link #storedName}), if there is one. */
    public static java.util.Optional<Stream> byStoredName(String storedName) {
        for (Stream stream : values()) {
            if (stream.storedName.equals(storedName)) {
                return java.util.Optional.of(stream);
            }
        }
        return java.util.Optional.empty();
    }

    /** The name used in {@code stream_positions} and replication. */
    public String storedName() {
        return storedName;
    }

    Sequence<Long> sequence() {
        return sequence;
    }

    /** The name of the PostgreSQL sequence that allocates this stream's positions. */
    public String sequenceName() {
        return sequence.getName();
    }
}
