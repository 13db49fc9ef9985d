package dev.myelin.replication;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the replication channel lives: the {@code redis} section of the homeserver configuration.
 *
 * <p>Every process of one homeserver must use the same settings; a different channel or database
 * number silently splits them into groups that do not hear each other. {@link #toString()} hides
 * the password so the settings can be logged.
 *
 * @param host Redis host name or address
 * @param port Redis TCP port
 * @param password sent with AUTH on every connection, if present
 * @param dbid the database selected on every connection (pub/sub channels are global in Redis,
 *     but a server with ACLs or a proxy may care, and the configuration names it)
 * @param channel the pub/sub channel every instance publishes to and subscribes to
 */
public record RedisSettings(String host, int port, Optional<String> password, int dbid, String channel) {

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(channel, "channel");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the Redis host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the Redis port must be 1 to 65535, got " + port);
        }
        if (dbid < 0) {
            throw new IllegalArgumentException("the Redis database number is negative: " + dbid);
        }
        if (channel.isEmpty()) {
            throw new IllegalArgumentException("the replication channel is empty");
        }
    }

    /** Host and port as {@code host:port}, for log messages. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "RedisSettings[" + address() + ", password=" + (password.isPresent() ? "***" : "none") + ", dbid=" + dbid
                + ", channel=" + channel + "]";
    }
}
