package dev.myelin.storage.relation;

import dev.myelin.core.id.EventId;

/**
 * What a thread root's bundled {@code m.thread} aggregation is made of.
 *
 * @param count  how many events are in the thread (the root not counted)
 * @param latest the thread's most recent event
 */
public record ThreadSummary(EventId root, long count, EventId latest) {}
