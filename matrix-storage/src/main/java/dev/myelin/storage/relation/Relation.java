package dev.myelin.storage.relation;

import dev.myelin.core.id.EventId;
import dev.myelin.storage.event.RoomPosition;

/**
 * One indexed relation: {@code eventId} relates to {@code parent} with {@code relType}
 * ({@code m.thread}, {@code m.annotation}, {@code m.replace}, {@code m.reference} or any other).
 *
 * @param position the related event's position in its room, for pagination
 */
public record Relation(
        EventId eventId, EventId parent, String relType, String eventType, String sender, RoomPosition position) {}
