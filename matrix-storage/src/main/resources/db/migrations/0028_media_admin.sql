-- What the media admin API reads and sets: whether a server admin protected an upload from being
-- quarantined with its room or uploader (sticker packs, shared images), and when it was last
-- served (NULL until it is; deleting by age goes by it, else by the upload time).
ALTER TABLE local_media ADD COLUMN safe_from_quarantine BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE local_media ADD COLUMN last_access_ts BIGINT;
ALTER TABLE remote_media_cache ADD COLUMN last_access_ts BIGINT;
CREATE INDEX local_media_user ON local_media (user_id, created_ts);
