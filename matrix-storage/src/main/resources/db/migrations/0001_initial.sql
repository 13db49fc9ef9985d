-- Myelin schema, version 1. Written once for both SQLite and PostgreSQL: only
-- VARCHAR, BIGINT, INTEGER and BOOLEAN columns, no dialect-specific syntax. A file
-- named NNNN_name.postgres.sql (or .sqlite.sql) replaces this one on that dialect.

-- Accounts ------------------------------------------------------------------

CREATE TABLE users (
    user_id        VARCHAR    NOT NULL PRIMARY KEY,
    localpart      VARCHAR    NOT NULL,
    password_hash  VARCHAR,
    creation_ts    BIGINT  NOT NULL,
    admin          BOOLEAN NOT NULL DEFAULT FALSE,
    deactivated    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX users_localpart ON users (localpart);

CREATE TABLE access_tokens (
    token_hash     VARCHAR    NOT NULL PRIMARY KEY,
    user_id        VARCHAR    NOT NULL,
    device_id      VARCHAR,
    created_ts     BIGINT  NOT NULL,
    valid_until_ms BIGINT,
    refresh_token_hash VARCHAR
);
CREATE INDEX access_tokens_user_device ON access_tokens (user_id, device_id);

CREATE TABLE refresh_tokens (
    token_hash     VARCHAR    NOT NULL PRIMARY KEY,
    user_id        VARCHAR    NOT NULL,
    device_id      VARCHAR,
    created_ts     BIGINT  NOT NULL
);
CREATE INDEX refresh_tokens_user_device ON refresh_tokens (user_id, device_id);

CREATE TABLE devices (
    user_id              VARCHAR NOT NULL,
    device_id            VARCHAR NOT NULL,
    display_name         VARCHAR,
    last_seen_ip         VARCHAR,
    last_seen_user_agent VARCHAR,
    last_seen_ts         BIGINT,
    PRIMARY KEY (user_id, device_id)
);

CREATE TABLE profiles (
    user_id     VARCHAR NOT NULL PRIMARY KEY,
    displayname VARCHAR,
    avatar_url  VARCHAR
);

CREATE TABLE user_filters (
    user_id     VARCHAR   NOT NULL,
    filter_id   BIGINT NOT NULL,
    filter_json VARCHAR   NOT NULL,
    PRIMARY KEY (user_id, filter_id)
);

-- room_id is '' for global account data, so the key stays a plain primary key
CREATE TABLE account_data (
    user_id   VARCHAR   NOT NULL,
    room_id   VARCHAR   NOT NULL,
    data_type VARCHAR   NOT NULL,
    content   VARCHAR   NOT NULL,
    stream_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, data_type)
);
CREATE INDEX account_data_stream ON account_data (user_id, stream_id);

CREATE TABLE room_tags (
    user_id   VARCHAR   NOT NULL,
    room_id   VARCHAR   NOT NULL,
    tag       VARCHAR   NOT NULL,
    content   VARCHAR   NOT NULL,
    PRIMARY KEY (user_id, room_id, tag)
);

-- Rooms and events -------------------------------------------------------------

CREATE TABLE rooms (
    room_id      VARCHAR    NOT NULL PRIMARY KEY,
    room_version VARCHAR    NOT NULL,
    creator      VARCHAR,
    is_public    BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE events (
    stream_ordering      BIGINT  NOT NULL PRIMARY KEY,
    event_id             VARCHAR    NOT NULL,
    room_id              VARCHAR    NOT NULL,
    event_type           VARCHAR    NOT NULL,
    state_key            VARCHAR,
    sender               VARCHAR    NOT NULL,
    origin_server_ts     BIGINT  NOT NULL,
    depth                BIGINT  NOT NULL,
    topological_ordering BIGINT  NOT NULL,
    outlier              BOOLEAN NOT NULL,
    rejection_reason     VARCHAR,
    redacted_by          VARCHAR,
    room_version         VARCHAR    NOT NULL,
    json                 VARCHAR    NOT NULL
);
CREATE UNIQUE INDEX events_event_id ON events (event_id);
CREATE INDEX events_room_topological ON events (room_id, topological_ordering, stream_ordering);
CREATE INDEX events_room_stream ON events (room_id, stream_ordering);

CREATE TABLE event_edges (
    event_id      VARCHAR NOT NULL,
    prev_event_id VARCHAR NOT NULL,
    room_id       VARCHAR NOT NULL,
    PRIMARY KEY (event_id, prev_event_id)
);
CREATE INDEX event_edges_prev ON event_edges (prev_event_id);

CREATE TABLE event_auth (
    event_id VARCHAR NOT NULL,
    auth_id  VARCHAR NOT NULL,
    PRIMARY KEY (event_id, auth_id)
);

CREATE TABLE event_forward_extremities (
    room_id  VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    PRIMARY KEY (room_id, event_id)
);

-- State: a group is a delta against prev_group (NULL for a full snapshot) ------
-- snapshot_group is the full snapshot at the root of the group's chain (itself for a snapshot)

CREATE TABLE state_groups (
    id             BIGINT  NOT NULL PRIMARY KEY,
    room_id        VARCHAR NOT NULL,
    event_id       VARCHAR NOT NULL,
    prev_group     BIGINT,
    snapshot_group BIGINT  NOT NULL,
    chain_length   INTEGER NOT NULL
);

-- event_id NULL marks a key removed relative to prev_group
CREATE TABLE state_group_entries (
    state_group BIGINT NOT NULL,
    event_type  VARCHAR   NOT NULL,
    state_key   VARCHAR   NOT NULL,
    event_id    VARCHAR,
    PRIMARY KEY (state_group, event_type, state_key)
);

-- the state group holding the room state after each event
CREATE TABLE event_to_state_groups (
    event_id    VARCHAR   NOT NULL PRIMARY KEY,
    state_group BIGINT NOT NULL
);

CREATE TABLE current_state_events (
    room_id    VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    state_key  VARCHAR NOT NULL,
    event_id   VARCHAR NOT NULL,
    membership VARCHAR,
    PRIMARY KEY (room_id, event_type, state_key)
);
CREATE INDEX current_state_members ON current_state_events (state_key, membership);

CREATE TABLE room_stats (
    room_id        VARCHAR   NOT NULL PRIMARY KEY,
    joined_members BIGINT NOT NULL
);

-- Streams ------------------------------------------------------------------------

CREATE TABLE stream_positions (
    stream_name VARCHAR   NOT NULL PRIMARY KEY,
    position    BIGINT NOT NULL
);

CREATE TABLE receipts (
    room_id      VARCHAR   NOT NULL,
    receipt_type VARCHAR   NOT NULL,
    user_id      VARCHAR   NOT NULL,
    thread_id    VARCHAR   NOT NULL,
    event_id     VARCHAR   NOT NULL,
    data         VARCHAR   NOT NULL,
    stream_id    BIGINT NOT NULL,
    PRIMARY KEY (room_id, receipt_type, user_id, thread_id)
);
CREATE INDEX receipts_stream ON receipts (stream_id);

CREATE TABLE device_inbox (
    user_id    VARCHAR   NOT NULL,
    device_id  VARCHAR   NOT NULL,
    stream_id  BIGINT NOT NULL,
    message    VARCHAR   NOT NULL,
    PRIMARY KEY (user_id, device_id, stream_id)
);

CREATE TABLE device_list_changes (
    stream_id BIGINT NOT NULL,
    user_id   VARCHAR   NOT NULL,
    device_id VARCHAR   NOT NULL,
    PRIMARY KEY (stream_id, user_id, device_id)
);
CREATE INDEX device_list_changes_user ON device_list_changes (user_id, stream_id);

-- Directory and media ---------------------------------------------------------------

CREATE TABLE room_aliases (
    room_alias VARCHAR NOT NULL PRIMARY KEY,
    room_id    VARCHAR NOT NULL,
    creator    VARCHAR NOT NULL
);
CREATE INDEX room_aliases_room ON room_aliases (room_id);

CREATE TABLE local_media (
    media_id       VARCHAR   NOT NULL PRIMARY KEY,
    media_type     VARCHAR   NOT NULL,
    media_length   BIGINT NOT NULL,
    upload_name    VARCHAR,
    user_id        VARCHAR   NOT NULL,
    created_ts     BIGINT NOT NULL,
    quarantined_by VARCHAR
);
