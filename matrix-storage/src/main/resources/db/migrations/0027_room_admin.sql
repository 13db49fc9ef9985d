-- Rooms a server admin blocked (Synapse's admin API: PUT /_synapse/admin/v1/rooms/{roomId}/block,
-- or deleting a room with block): local users may not join them and this server does not join
-- them over federation. user_id is the admin who blocked the room.
CREATE TABLE blocked_rooms (
    room_id VARCHAR NOT NULL PRIMARY KEY,
    user_id VARCHAR NOT NULL
);

-- Purging a room (or its history) deletes rows by room id, chunk by chunk: these tables had no
-- index leading with it.
CREATE INDEX state_groups_room ON state_groups (room_id, id);
CREATE INDEX notifications_room ON notifications (room_id, stream_ordering);
