-- Media repository: which uploads the unauthenticated /_matrix/media/v3 endpoints may still serve,
-- ids created with POST /_matrix/media/v1/create whose content has not arrived yet, and the
-- thumbnails generated so far.

-- TRUE for media uploaded while enable_authenticated_media was on: only the authenticated
-- /_matrix/client/v1/media endpoints serve them. Rows from before this migration stay servable.
ALTER TABLE local_media ADD COLUMN authenticated BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE pending_media (
    media_id   VARCHAR NOT NULL PRIMARY KEY,
    user_id    VARCHAR NOT NULL,
    created_ts BIGINT  NOT NULL,
    expires_ts BIGINT  NOT NULL
);
CREATE INDEX pending_media_user ON pending_media (user_id, expires_ts);

-- One row per generated thumbnail; width, height and method are the size asked for (one of the
-- standard sizes), not necessarily the thumbnail's own dimensions.
CREATE TABLE local_media_thumbnails (
    media_id       VARCHAR NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    method         VARCHAR NOT NULL,
    content_type   VARCHAR NOT NULL,
    length         BIGINT  NOT NULL,
    created_ts     BIGINT  NOT NULL,
    PRIMARY KEY (media_id, width, height, method)
);
