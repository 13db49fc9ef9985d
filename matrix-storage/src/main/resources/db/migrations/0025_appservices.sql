-- Application services: how far each has been sent the events stream, the id of the last
-- transaction it acknowledged, and the transaction in flight (stored before it is first sent, so
-- that after a restart it is sent again with the same id and the same content, as the service's
-- deduplication by id expects), so that a restart neither repeats nor skips events.
CREATE TABLE appservice_positions (
    appservice_id   VARCHAR NOT NULL PRIMARY KEY,
    stream_ordering BIGINT  NOT NULL,
    last_txn_id     BIGINT  NOT NULL,
    pending_txn_id  BIGINT,
    pending_up_to   BIGINT,
    pending_body    VARCHAR
);

-- The rooms each application service published in its own room directory list
-- (PUT /directory/list/appservice/{networkId}/{roomId}).
CREATE TABLE appservice_room_list (
    appservice_id VARCHAR NOT NULL,
    network_id    VARCHAR NOT NULL,
    room_id       VARCHAR NOT NULL,
    PRIMARY KEY (appservice_id, network_id, room_id)
);
