-- Notifications waiting to reach a pusher's push gateway, so that a restart, or a gateway down
-- for a while, does not lose them: a row is removed once its gateway took it, gave up on it, or
-- rejected the pushkey. body is the JSON of the /_matrix/push/v1/notify request.
CREATE TABLE push_queue (
    id         BIGINT NOT NULL PRIMARY KEY,
    user_id    VARCHAR NOT NULL,
    app_id     VARCHAR NOT NULL,
    pushkey    VARCHAR NOT NULL,
    body       TEXT NOT NULL,
    created_ts BIGINT NOT NULL
);
CREATE INDEX push_queue_pusher ON push_queue (user_id, app_id, pushkey, id);
