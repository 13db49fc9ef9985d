-- What each client transaction (PUT .../send/{type}/{txnId}, .../redact/{eventId}/{txnId},
-- /sendToDevice/{type}/{txnId}) produced, so that a retry, also one after a restart or a crash, is
-- answered with the first result instead of acting twice. A row is written in the same database
-- transaction as the event or the to-device messages it stands for: either both are stored or
-- neither. txn_key is a SHA-256 of the scope (the sender's device, or for device-less requests the
-- access token, which must not be stored in clear), the endpoint and the transaction id, so keys of
-- any length fit an index. Rows are kept for a day (see ClientTransactionStore).
CREATE TABLE client_transactions (
    txn_key     VARCHAR NOT NULL PRIMARY KEY,
    user_id     VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,
    inserted_ts BIGINT  NOT NULL
);
CREATE INDEX client_transactions_inserted ON client_transactions (inserted_ts);
