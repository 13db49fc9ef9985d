-- What server admins set on accounts through the admin API: shadow-bans (the user's sends seem to
-- succeed but reach no one), locks (every request but logout refused), suspensions (read-only),
-- and Synapse's user_type (NULL, 'bot', 'support').
ALTER TABLE users ADD COLUMN shadow_banned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN user_type VARCHAR;

-- Per-user rate-limit overrides (Synapse's override_ratelimit); messages_per_second 0 exempts.
CREATE TABLE ratelimit_override (
    user_id             VARCHAR NOT NULL PRIMARY KEY,
    messages_per_second BIGINT  NOT NULL,
    burst_count         BIGINT  NOT NULL
);

-- The room each user receives server notices in, once the notices user has made it.
CREATE TABLE server_notice_rooms (
    user_id VARCHAR NOT NULL PRIMARY KEY,
    room_id VARCHAR NOT NULL
);
