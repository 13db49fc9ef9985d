-- Outbound federation: the PDUs and EDUs waiting to be sent to each destination, in the order they
-- were queued (position, per destination). A row is deleted once a transaction holding it was
-- accepted, so what a restart finds here is exactly what was not delivered.
-- kind: 'pdu' or 'edu'. room_id: a PDU's room, so that catch-up after an outage can keep only the
-- latest PDU of each room (the destination fetches the rest with get_missing_events).
CREATE TABLE federation_outbox (
    destination VARCHAR NOT NULL,
    position    BIGINT  NOT NULL,
    kind        VARCHAR NOT NULL,
    room_id     VARCHAR,
    json        VARCHAR NOT NULL,
    PRIMARY KEY (destination, position)
);
