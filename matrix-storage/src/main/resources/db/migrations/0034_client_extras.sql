-- Custom profile fields (spec v1.16): any key but displayname and avatar_url, which stay in
-- profiles. value is the field's JSON, in canonical form.
CREATE TABLE profile_fields (
    user_id VARCHAR NOT NULL,
    field   VARCHAR NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (user_id, field)
);

-- Users' reports of other users (POST /users/{userId}/report), kept for the server's moderators.
CREATE TABLE user_reports (
    id             BIGINT NOT NULL PRIMARY KEY,
    received_ts    BIGINT NOT NULL,
    target_user_id VARCHAR NOT NULL,
    user_id        VARCHAR NOT NULL,
    reason         TEXT NOT NULL
);
CREATE INDEX user_reports_target ON user_reports (target_user_id, received_ts);

-- Short-lived login tokens (POST /login/get_token, used with m.login.token), stored by their
-- SHA-256 so that a database dump does not hold usable tokens. Used once.
CREATE TABLE login_tokens (
    token_hash VARCHAR NOT NULL PRIMARY KEY,
    user_id    VARCHAR NOT NULL,
    expiry_ts  BIGINT NOT NULL
);
CREATE INDEX login_tokens_expiry ON login_tokens (expiry_ts);
