-- Device lists across servers (m.device_list_update, m.signing_key_update, /user/devices).

-- Outbound: the stream_id of the last update about a local user sent to (or, through
-- /user/devices, fetched by) each server, which the next update names as its prev_id.
CREATE TABLE device_list_outbound (
    destination VARCHAR NOT NULL,
    user_id     VARCHAR NOT NULL,
    stream_id   BIGINT  NOT NULL,
    PRIMARY KEY (destination, user_id)
);
CREATE INDEX device_list_outbound_by_user ON device_list_outbound (user_id);

-- Inbound: other servers' users whose device list is cached. A row exists only while the
-- cache is complete (filled by a resync through /user/devices); it is deleted when no local
-- user shares a room with the user any more. events_position: the events stream position when
-- it was fetched; a membership change of the user after it means the user may have left every
-- shared room since, missing updates, so the list is fetched again.
CREATE TABLE remote_device_lists (
    user_id         VARCHAR NOT NULL PRIMARY KEY,
    stream_id       BIGINT  NOT NULL,
    events_position BIGINT  NOT NULL
);

-- The stream_ids of the updates applied to a cached list, to tell whether an update's
-- prev_id are all known or one was missed.
CREATE TABLE remote_device_list_updates (
    user_id   VARCHAR NOT NULL,
    stream_id BIGINT  NOT NULL,
    PRIMARY KEY (user_id, stream_id)
);

-- The cached devices: key_json is the device keys as the user's server sent them (NULL
-- when the device has none yet).
CREATE TABLE remote_devices (
    user_id      VARCHAR NOT NULL,
    device_id    VARCHAR NOT NULL,
    display_name VARCHAR,
    key_json     VARCHAR,
    PRIMARY KEY (user_id, device_id)
);

-- The cached master and self-signing keys (key_type master or self_signing).
CREATE TABLE remote_cross_signing_keys (
    user_id  VARCHAR NOT NULL,
    key_type VARCHAR NOT NULL,
    key_json VARCHAR NOT NULL,
    PRIMARY KEY (user_id, key_type)
);
