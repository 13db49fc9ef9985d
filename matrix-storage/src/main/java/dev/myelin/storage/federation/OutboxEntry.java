package dev.myelin.storage.federation;

import java.util.Objects;
import java.util.Optional;

/**
 * One PDU or EDU waiting in a destination's outbox.
 *
 * @param position its place in the destination's queue (per destination, growing)
 * @param kind whether it is a PDU or an EDU
 * @param roomId a PDU's room id (empty for EDUs)
 * @param json the PDU or EDU as it goes into a transaction
 */
public record OutboxEntry(long position, Kind kind, Optional<String> roomId, String json) {

    /** What an entry is. */
    public enum Kind {
        /** A persistent data unit (a room event). */
        PDU,
        /** An ephemeral data unit. */
        EDU
    }

    /** Requires every part. */
    public OutboxEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(json, "json");
    }
}
