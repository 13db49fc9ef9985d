-- Full-text search (POST /_matrix/client/v3/search) on SQLite: one row per searchable event in
-- event_search (content.body of m.room.message, content.name of m.room.name, content.topic of
-- m.room.topic), its text in the FTS5 table event_search_fts under the same rowid. The persister
-- keeps both up to date; redaction and purges remove rows. PostgreSQL has its own variant
-- (0030_search.postgres.sql), so jOOQ generates no classes for these tables and the store
-- (dev.myelin.storage.search.EventSearchStore) speaks SQL.
-- [jooq ignore start]
CREATE TABLE event_search (
    id              INTEGER NOT NULL PRIMARY KEY,
    event_id        VARCHAR NOT NULL,
    room_id         VARCHAR NOT NULL,
    sender          VARCHAR NOT NULL,
    event_type      VARCHAR NOT NULL,
    search_key      VARCHAR NOT NULL,
    stream_ordering BIGINT  NOT NULL,
    origin_server_ts BIGINT NOT NULL
);
CREATE UNIQUE INDEX event_search_event_id ON event_search (event_id);
-- unicode61 folds case and (remove_diacritics 2) accents, as PostgreSQL's 'simple' configuration
-- with the same prefix queries does not stem: both databases find the same words
CREATE VIRTUAL TABLE event_search_fts USING fts5(value, tokenize = 'unicode61 remove_diacritics 2');
-- what was stored before this migration is indexed now
INSERT INTO event_search (event_id, room_id, sender, event_type, search_key, stream_ordering, origin_server_ts)
SELECT event_id, room_id, sender, event_type,
       CASE event_type WHEN 'm.room.message' THEN 'content.body'
                       WHEN 'm.room.name' THEN 'content.name'
                       ELSE 'content.topic' END,
       stream_ordering, origin_server_ts
FROM events
WHERE event_type IN ('m.room.message', 'm.room.name', 'm.room.topic')
  AND outlier = 0 AND rejection_reason IS NULL AND redacted_by IS NULL
  AND json_type(json, '$.' || CASE event_type WHEN 'm.room.message' THEN 'content.body'
                                              WHEN 'm.room.name' THEN 'content.name'
                                              ELSE 'content.topic' END) = 'text';
INSERT INTO event_search_fts (rowid, value)
SELECT s.id, json_extract(e.json, '$.' || s.search_key)
FROM event_search s JOIN events e ON e.event_id = s.event_id;
-- [jooq ignore stop]
