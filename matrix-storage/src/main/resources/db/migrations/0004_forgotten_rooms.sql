-- Rooms a user has forgotten after leaving them (POST /rooms/{roomId}/forget). A row is
-- removed when the user gets a new membership in the room.
CREATE TABLE forgotten_rooms (
    user_id VARCHAR NOT NULL,
    room_id VARCHAR NOT NULL,
    PRIMARY KEY (user_id, room_id)
);
