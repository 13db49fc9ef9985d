-- Full-text search (POST /_matrix/client/v3/search) on PostgreSQL: one row per searchable event
-- (content.body of m.room.message, content.name of m.room.name, content.topic of m.room.topic)
-- with its text as a tsvector of the 'simple' configuration (no stemming, no stop words, as
-- SQLite's unicode61 tokenizer in 0030_search.sql), behind a GIN index. The persister keeps it up
-- to date; redaction and purges remove rows.
-- [jooq ignore start]
CREATE TABLE event_search (
    event_id        VARCHAR  NOT NULL PRIMARY KEY,
    room_id         VARCHAR  NOT NULL,
    sender          VARCHAR  NOT NULL,
    event_type      VARCHAR  NOT NULL,
    search_key      VARCHAR  NOT NULL,
    stream_ordering BIGINT   NOT NULL,
    origin_server_ts BIGINT  NOT NULL,
    vector          TSVECTOR NOT NULL
);
CREATE INDEX event_search_vector ON event_search USING GIN (vector);
-- what was stored before this migration is indexed now
INSERT INTO event_search (event_id, room_id, sender, event_type, search_key, stream_ordering, origin_server_ts, vector)
SELECT event_id, room_id, sender, event_type, search_key, stream_ordering, origin_server_ts, to_tsvector('simple', value)
FROM (
    SELECT e.event_id, e.room_id, e.sender, e.event_type, e.stream_ordering, e.origin_server_ts,
           CASE e.event_type WHEN 'm.room.message' THEN 'content.body'
                             WHEN 'm.room.name' THEN 'content.name'
                             ELSE 'content.topic' END AS search_key,
           CASE e.event_type WHEN 'm.room.message' THEN e.json::jsonb -> 'content' -> 'body'
                             WHEN 'm.room.name' THEN e.json::jsonb -> 'content' -> 'name'
                             ELSE e.json::jsonb -> 'content' -> 'topic' END AS text_value
    FROM events e
    WHERE e.event_type IN ('m.room.message', 'm.room.name', 'm.room.topic')
      AND NOT e.outlier AND e.rejection_reason IS NULL AND e.redacted_by IS NULL
      -- jsonb refuses an escaped NUL character: such an event is left unindexed
      AND strpos(e.json, '\u0000') = 0
) searchable
CROSS JOIN LATERAL (SELECT text_value #>> '{}' AS value) v
WHERE jsonb_typeof(text_value) = 'string';
-- [jooq ignore stop]
