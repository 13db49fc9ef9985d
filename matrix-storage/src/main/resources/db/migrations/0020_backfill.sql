-- Events of a room that this server knows are there but does not hold in its timeline: the
-- prev_events of timeline events that are missing, or held only as outliers (a room joined over
-- federation starts with its join event's prev_events here). /messages asks other servers for the
-- history before them (/backfill) when a client paginates back to them; a backfilled event leaves
-- this table and its own unknown prev_events enter it.
CREATE TABLE event_backward_extremities (
    room_id  VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    PRIMARY KEY (room_id, event_id)
);

-- The timeline events stored before this table existed: the same rule, once.
INSERT INTO event_backward_extremities (room_id, event_id)
SELECT DISTINCT edges.room_id, edges.prev_event_id
FROM event_edges edges
WHERE NOT EXISTS (
    SELECT 1 FROM events known WHERE known.event_id = edges.prev_event_id AND known.outlier = FALSE
);
