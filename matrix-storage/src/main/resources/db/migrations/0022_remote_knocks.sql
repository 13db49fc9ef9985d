-- Knocks of local users on rooms this server does not take part in, made over federation
-- (make_knock, send_knock). The knock event itself is kept in `events` as an outlier; this row is
-- what /sync reads to show it, with the stripped state the resident server answered with.
-- knock_stream: the knock event's events-stream position, so an incremental sync shows it once.
-- leave_event_id, leave_stream: the leave that rescinded it (made through the resident server, or
-- locally when that server could not be reached); NULL while the knock is pending.
CREATE TABLE remote_knocks (
    user_id        VARCHAR NOT NULL,
    room_id        VARCHAR NOT NULL,
    knock_event_id VARCHAR NOT NULL,
    knock_stream   BIGINT  NOT NULL,
    room_version   VARCHAR NOT NULL,
    resident       VARCHAR NOT NULL,
    knock_state    VARCHAR NOT NULL,
    leave_event_id VARCHAR,
    leave_stream   BIGINT,
    PRIMARY KEY (user_id, room_id)
);
CREATE INDEX remote_knocks_by_user_stream ON remote_knocks (user_id, knock_stream);
