package dev.myelin.server.api.client.room;

/**
 * The answer of endpoints that send one event (state, redaction): {@code {"event_id": ...}}.
 *
 * @param eventId the sent event
 */
public record EventIdResponse(String eventId) {}
