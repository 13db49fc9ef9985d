-- The client transaction id each locally sent event was sent with, and by which device, so that
-- device is served the event with unsigned.transaction_id (how clients match their local echo to
-- the event /sync brings). Rows older than a day are pruned: clients only need it for a retry
-- window, and a device that comes back later has no local echo left to match.
CREATE TABLE event_txn_ids (
    event_id    VARCHAR NOT NULL PRIMARY KEY,
    user_id     VARCHAR NOT NULL,
    device_id   VARCHAR NOT NULL,
    txn_id      VARCHAR NOT NULL,
    inserted_ts BIGINT  NOT NULL
);
CREATE INDEX event_txn_ids_inserted ON event_txn_ids (inserted_ts);
