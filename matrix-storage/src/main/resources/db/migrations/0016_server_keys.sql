-- Other servers' signing keys, as fetched from them or through a notary. server_key_responses keeps,
-- for each key id, the latest signed key response that listed it, exactly as received, so the
-- notary endpoints can hand it on with the origin's signature intact (and a key the origin stops
-- listing keeps the response that last listed it); server_signing_keys holds the keys, each
-- with the time until which it may be used (for a current key the response's valid_until_ts,
-- capped at seven days after the fetch; for an old key its expired_ts).
CREATE TABLE server_key_responses (
    server_name    VARCHAR NOT NULL,
    key_id         VARCHAR NOT NULL,
    key_json       TEXT    NOT NULL,
    valid_until_ts BIGINT  NOT NULL,
    fetched_ts     BIGINT  NOT NULL,
    PRIMARY KEY (server_name, key_id)
);
CREATE TABLE server_signing_keys (
    server_name    VARCHAR NOT NULL,
    key_id         VARCHAR NOT NULL,
    verify_key     VARCHAR NOT NULL,
    valid_until_ts BIGINT  NOT NULL,
    expired_ts     BIGINT,
    fetched_ts     BIGINT  NOT NULL,
    PRIMARY KEY (server_name, key_id)
);
