-- Notifications: each event that a user's push rules said should notify them, with the rule's
-- actions, written when the event is persisted. GET /_matrix/client/v3/notifications lists them,
-- newest first, and pages by stream_ordering.
CREATE TABLE notifications (
    user_id              VARCHAR NOT NULL,
    event_id             VARCHAR NOT NULL,
    room_id              VARCHAR NOT NULL,
    stream_ordering      BIGINT  NOT NULL,
    topological_ordering BIGINT  NOT NULL,
    actions              VARCHAR NOT NULL,
    highlight            BOOLEAN NOT NULL,
    received_ts          BIGINT  NOT NULL,
    PRIMARY KEY (user_id, event_id)
);
CREATE INDEX notifications_user_stream ON notifications (user_id, stream_ordering);
