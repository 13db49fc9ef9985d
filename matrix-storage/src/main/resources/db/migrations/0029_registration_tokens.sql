-- Tokens that registration needs when registration_requires_token is on, managed with Synapse's
-- admin API. pending counts registrations that passed the token stage and have not finished;
-- completed counts accounts made with the token. uses_allowed NULL: no limit; expiry_time NULL:
-- never expires (ms since the epoch).
CREATE TABLE registration_tokens (
    token        VARCHAR NOT NULL PRIMARY KEY,
    uses_allowed INTEGER,
    pending      INTEGER NOT NULL DEFAULT 0,
    completed    INTEGER NOT NULL DEFAULT 0,
    expiry_time  BIGINT
);
