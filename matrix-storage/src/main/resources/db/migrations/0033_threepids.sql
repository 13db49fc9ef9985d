-- Third-party identifiers (3PIDs). user_threepids: the email addresses (and phone numbers)
-- bound to local accounts, each to one account at most; addresses are stored as the server
-- compares them (an email lower-cased). validated_at and added_at are ms since the epoch.
CREATE TABLE user_threepids (
    medium       VARCHAR NOT NULL,
    address      VARCHAR NOT NULL,
    user_id      VARCHAR NOT NULL,
    validated_at BIGINT NOT NULL,
    added_at     BIGINT NOT NULL,
    PRIMARY KEY (medium, address)
);
CREATE INDEX user_threepids_user ON user_threepids (user_id);

-- The identity servers a user's 3PIDs were bound on through this server, so that removing the
-- 3PID or deactivating the account unbinds them there too.
CREATE TABLE user_threepid_id_server (
    user_id   VARCHAR NOT NULL,
    medium    VARCHAR NOT NULL,
    address   VARCHAR NOT NULL,
    id_server VARCHAR NOT NULL,
    PRIMARY KEY (user_id, medium, address, id_server)
);

-- Validation sessions of requestToken: the server mails token to address; the session is
-- validated (validated_at set) once the token comes back through submit_token before
-- token_expires. A repeated request with the same client_secret and address is the same session;
-- a higher send_attempt sends the mail again.
CREATE TABLE threepid_validation_sessions (
    session_id    VARCHAR NOT NULL PRIMARY KEY,
    medium        VARCHAR NOT NULL,
    address       VARCHAR NOT NULL,
    client_secret VARCHAR NOT NULL,
    send_attempt  BIGINT NOT NULL,
    token         VARCHAR NOT NULL,
    token_expires BIGINT NOT NULL,
    next_link     VARCHAR,
    validated_at  BIGINT
);
CREATE INDEX threepid_validation_sessions_secret
    ON threepid_validation_sessions (client_secret, medium, address);
