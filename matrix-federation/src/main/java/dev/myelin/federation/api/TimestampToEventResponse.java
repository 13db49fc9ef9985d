package dev.myelin.federation.api;

/**
 * The answer of {@code GET /timestamp_to_event/{roomId}}: the event closest to a time.
 *
 * @param eventId the event found
 * @param originServerTs its timestamp
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1timestamp_to_eventroomid">spec</a>
 */
public record TimestampToEventResponse(String eventId, long originServerTs) {}
