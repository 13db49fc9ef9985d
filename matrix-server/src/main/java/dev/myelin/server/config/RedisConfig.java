package dev.myelin.server.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code redis} section: the Redis server the processes of a multi-process homeserver
 * exchange replication messages through, read with Synapse's keys.
 *
 * @param enabled {@code enabled}: whether replication goes through Redis (default false; every
 *     multi-process configuration needs it)
 * @param host {@code host} (default {@code localhost})
 * @param port {@code port} (default 6379)
 * @param password {@code password}, when the server asks for one
 * @param dbid {@code dbid}: the Redis database number (default 0)
 */
public record RedisConfig(boolean enabled, String host, int port, Optional<String> password, int dbid) {
    /** Redis not used: a single process needs no replication. */
    public static final RedisConfig DISABLED = new RedisConfig(false, "localhost", 6379, Optional.empty(), 0);

    /** Requires every part and a TCP port. */
    public RedisConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad Redis port " + port);
        }
        if (dbid < 0) {
            throw new IllegalArgumentException("bad Redis database number " + dbid);
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "RedisConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", password="
                + (password.isPresent() ? "(set)" : "(none)") + ", dbid=" + dbid + "]";
    }
}
