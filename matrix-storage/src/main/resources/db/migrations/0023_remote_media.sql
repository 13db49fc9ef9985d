-- Copies of other servers' media, fetched over federation when a local user asked for them, and
-- the thumbnails made of those copies. The bytes live in the media store under filesystem_id, a
-- random id of this server's choosing, so no remote name ever becomes a path.

-- authenticated: TRUE when cached while enable_authenticated_media was on; the unauthenticated
-- /_matrix/media/v3 endpoints do not serve those (the freeze counts remote media from the day it
-- was cached).
CREATE TABLE remote_media_cache (
    media_origin   VARCHAR NOT NULL,
    media_id       VARCHAR NOT NULL,
    media_type     VARCHAR NOT NULL,
    media_length   BIGINT  NOT NULL,
    upload_name    VARCHAR,
    filesystem_id  VARCHAR NOT NULL,
    created_ts     BIGINT  NOT NULL,
    authenticated  BOOLEAN NOT NULL,
    quarantined_by VARCHAR,
    PRIMARY KEY (media_origin, media_id)
);

-- One row per thumbnail made of a cached copy, as local_media_thumbnails is for uploads.
CREATE TABLE remote_media_thumbnails (
    filesystem_id  VARCHAR NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    method         VARCHAR NOT NULL,
    content_type   VARCHAR NOT NULL,
    length         BIGINT  NOT NULL,
    created_ts     BIGINT  NOT NULL,
    PRIMARY KEY (filesystem_id, width, height, method)
);
