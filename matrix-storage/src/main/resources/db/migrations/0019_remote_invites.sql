-- Invites of local users to rooms this server does not take part in, received over federation
-- (PUT /_matrix/federation/v2/invite). The invite event itself is kept in `events` as an outlier;
-- this row is what /sync reads to show it, with the stripped state the inviting server sent.
-- invite_stream: the invite event's events-stream position, so an incremental sync shows it once.
-- leave_event_id, leave_stream: the leave that rejected it (made through the inviting server, or
-- locally when that server could not be reached); NULL while the invite is pending.
CREATE TABLE remote_invites (
    user_id         VARCHAR NOT NULL,
    room_id         VARCHAR NOT NULL,
    invite_event_id VARCHAR NOT NULL,
    invite_stream   BIGINT  NOT NULL,
    room_version    VARCHAR NOT NULL,
    origin          VARCHAR NOT NULL,
    invite_state    VARCHAR NOT NULL,
    leave_event_id  VARCHAR,
    leave_stream    BIGINT,
    PRIMARY KEY (user_id, room_id)
);
CREATE INDEX remote_invites_by_user_stream ON remote_invites (user_id, invite_stream);
