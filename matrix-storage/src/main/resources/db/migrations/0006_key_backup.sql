-- Server-side key backups (/room_keys). Versions are numbered per user; a deleted version keeps
-- its row (deleted = TRUE) so its number is never handed out again, while its keys go.
-- etag counts changes to the version's keys: it grows whenever a key is written or deleted.
CREATE TABLE key_backup_versions (
    user_id    VARCHAR NOT NULL,
    version    BIGINT  NOT NULL,
    algorithm  VARCHAR NOT NULL,
    auth_data  VARCHAR NOT NULL,
    etag       BIGINT  NOT NULL,
    deleted    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, version)
);

-- One backed-up megolm session key per (user, version, room, session); session_data is the
-- encrypted JSON object the client uploaded, kept opaque.
CREATE TABLE key_backup_keys (
    user_id             VARCHAR NOT NULL,
    version             BIGINT  NOT NULL,
    room_id             VARCHAR NOT NULL,
    session_id          VARCHAR NOT NULL,
    first_message_index BIGINT  NOT NULL,
    forwarded_count     BIGINT  NOT NULL,
    is_verified         BOOLEAN NOT NULL,
    session_data        VARCHAR NOT NULL,
    PRIMARY KEY (user_id, version, room_id, session_id)
);
