-- Events and rooms reported by users (POST /rooms/{roomId}/report[/{eventId}]), for moderators.
-- event_id is NULL for a report of the whole room.
CREATE TABLE event_reports (
    id          BIGINT  NOT NULL PRIMARY KEY,
    received_ts BIGINT  NOT NULL,
    room_id     VARCHAR NOT NULL,
    event_id    VARCHAR,
    user_id     VARCHAR NOT NULL,
    reason      VARCHAR,
    score       BIGINT
);
CREATE INDEX event_reports_room ON event_reports (room_id, received_ts);
