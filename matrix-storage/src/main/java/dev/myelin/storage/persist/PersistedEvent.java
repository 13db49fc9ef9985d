package dev.myelin.storage.persist;

import dev.myelin.core.id.EventId;
import java.util.OptionalLong;

/**
 * The outcome of persisting one event.
 *
 * @param eventId        the event
 * @param streamOrdering its position on the events stream
 * @param stateGroup     the state group of the state after it (empty for outliers)
 * @param alreadyKnown   the event was stored before; nothing was written
 */
public record PersistedEvent(EventId eventId, long streamOrdering, OptionalLong stateGroup, boolean alreadyKnown) {}
