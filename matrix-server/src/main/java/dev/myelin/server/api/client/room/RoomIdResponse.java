package dev.myelin.server.api.client.room;

/**
 * The answer of endpoints that create or join a room: {@code {"room_id": ...}}.
 *
 * @param roomId the room
 */
public record RoomIdResponse(String roomId) {}
