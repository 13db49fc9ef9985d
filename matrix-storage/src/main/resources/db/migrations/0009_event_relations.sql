-- Which event relates to which (m.relates_to with a rel_type and an event_id), written when an
-- event is persisted, for /relations, /threads and bundled aggregations. The event's room,
-- type, sender and orderings are copied so that listing a parent's children reads this table alone.
CREATE TABLE event_relations (
    event_id             VARCHAR NOT NULL PRIMARY KEY,
    relates_to_id        VARCHAR NOT NULL,
    relation_type        VARCHAR NOT NULL,
    room_id              VARCHAR NOT NULL,
    event_type           VARCHAR NOT NULL,
    sender               VARCHAR NOT NULL,
    topological_ordering BIGINT  NOT NULL,
    stream_ordering      BIGINT  NOT NULL
);
CREATE INDEX event_relations_parent ON event_relations (relates_to_id, topological_ordering, stream_ordering);
CREATE INDEX event_relations_room_type ON event_relations (room_id, relation_type, stream_ordering);
