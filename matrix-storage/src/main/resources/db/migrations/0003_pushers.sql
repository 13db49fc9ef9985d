-- Pushers set with POST /_matrix/client/v3/pushers/set. A pusher is identified by
-- (user, app_id, pushkey); the rest of what the client sent (display names, lang,
-- profile_tag, data) is kept as the JSON served back by GET /pushers.
CREATE TABLE pushers (
    user_id     VARCHAR NOT NULL,
    app_id      VARCHAR NOT NULL,
    pushkey     VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    device_id   VARCHAR,
    pusher_json VARCHAR NOT NULL,
    created_ts  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, app_id, pushkey)
);
CREATE INDEX pushers_app_pushkey ON pushers (app_id, pushkey);
