-- Per-destination backoff of outbound federation: when this server last failed to reach another
-- server and how long it waits before trying again. Stored so that a restart does not hammer every
-- server that was down; the table and column names are Synapse's, which operators know.
-- failure_ts: when the destination started failing (ms since the epoch), NULL while it is up.
-- retry_last_ts: when the last failed attempt was made, 0 while the destination is up.
-- retry_interval: how long after retry_last_ts the next attempt may be made (ms), 0 while up.
CREATE TABLE destinations (
    destination    VARCHAR NOT NULL PRIMARY KEY,
    failure_ts     BIGINT,
    retry_last_ts  BIGINT  NOT NULL,
    retry_interval BIGINT  NOT NULL
);
