-- Inbound federation: the answer given to each transaction, by origin and transaction id, so that a
-- transaction sent again (the sender did not see the answer) gets the same answer and is not
-- processed twice.
CREATE TABLE received_transactions (
    origin        VARCHAR NOT NULL,
    txn_id        VARCHAR NOT NULL,
    response_json VARCHAR NOT NULL,
    received_ts   BIGINT  NOT NULL,
    PRIMARY KEY (origin, txn_id)
);
