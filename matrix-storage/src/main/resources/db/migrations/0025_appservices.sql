-- Application services: how far each has been sent the events stream, and the id of the last
-- transaction it acknowledged, so that a restart neither repeats nor skips events.
CREATE TABLE appservice_positions (
    appservice_id   VARCHAR NOT NULL PRIMARY KEY,
    stream_ordering BIGINT  NOT NULL,
    last_txn_id     BIGINT  NOT NULL
);

-- The rooms each application service published in its own room directory list
-- (PUT /directory/list/appservice/{networkId}/{roomId}).
CREATE TABLE appservice_room_list (
    appservice_id VARCHAR NOT NULL,
    network_id    VARCHAR NOT NULL,
    room_id       VARCHAR NOT NULL,
    PRIMARY KEY (appservice_id, network_id, room_id)
);
