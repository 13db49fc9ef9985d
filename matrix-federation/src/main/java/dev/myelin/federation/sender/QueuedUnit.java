package dev.myelin.federation.sender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One PDU or EDU in a destination's queue.
 *
 * @param position its place in the destination's queue (growing)
 * @param kind whether it is a PDU or an EDU
 * @param roomId a PDU's room id, empty for an EDU
 * @param json the PDU or EDU as it goes into a transaction
 */
public record QueuedUnit(long position, Kind kind, Optional<String> roomId, ObjectNode json) {

    /** What a unit is. */
    public enum Kind {
        /** A persistent data unit: a room event. */
        PDU,
        /** An ephemeral data unit. */
        EDU
    }

    /** Requires every part. */
    public QueuedUnit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(json, "json");
    }
}
