-- OpenID tokens (POST /user/{userId}/openid/request_token) that widgets' and integration managers'
-- backends check over federation. Stored, so that a token stays valid for its hour across a
-- restart and on every worker; only the SHA-256 of the token is kept.
CREATE TABLE open_id_tokens (
    token_hash VARCHAR NOT NULL PRIMARY KEY,
    user_id    VARCHAR NOT NULL,
    expires_ts BIGINT  NOT NULL
);
CREATE INDEX open_id_tokens_expires ON open_id_tokens (expires_ts);
