package dev.myelin.replication;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Opens one thread's Redis connections, and can cut the current one from another thread.
 *
 * <p>The socket is made here rather than by Jedis so that {@link #abort()} can close it: that
 * ends a blocked connect, read or write at once, which neither interrupting the thread nor asking
 * Jedis to close (it flushes first) would do when Redis has stopped answering. Each connection
 * sends AUTH and SELECT (through Jedis's client configuration) before anything else, so a
 * reconnect after a Redis restart is set up exactly like the first connection.
 */
final class RedisConnector {

    private final RedisSettings settings;
    private final Timeouts timeouts;
    private final JedisClientConfig config;
    private volatile @Nullable Socket current;
    private volatile boolean aborted;

    RedisConnector(RedisSettings settings, Timeouts timeouts, String clientName) {
        this.settings = settings;
        this.timeouts = timeouts;
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeouts.connectMillis())
                .socketTimeoutMillis(timeouts.readMillis())
                // what Jedis waits for a pub/sub message: the PINGs keep a live subscription talking
                .blockingSocketTimeoutMillis(timeouts.readMillis())
                .database(settings.dbid())
                .clientName(clientName)
                // CLIENT SETINFO needs Redis 7.2; the name above is what operators look for anyway
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        settings.password().ifPresent(config::password);
        this.config = config.build();
    }

    /**
     * A new, authenticated connection with the configured database selected.
     *
     * @throws redis.clients.jedis.exceptions.JedisException if Redis cannot be reached or refuses
     */
    Jedis connect() {
        return new Jedis(this::createSocket, config);
    }

    /**
     * Closes the current socket, so a thread blocked writing to a hung server gets an error and
     * reconnects (a blocking socket write has no timeout of its own).
     */
    void cut() {
        closeQuietly(current);
    }

    /** Closes the current socket, and every later one at once: the owner is shutting down. */
    void abort() {
        aborted = true;
        closeQuietly(current);
    }

    private Socket createSocket() {
        Socket socket = new Socket();
        current = socket;
        if (aborted) {
            closeQuietly(socket);
            throw new JedisConnectionException("replication is closed");
        }
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout(timeouts.readMillis());
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), timeouts.connectMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new JedisConnectionException("cannot connect to " + settings.address() + ": " + e, e);
        }
    }

    private static void closeQuietly(@Nullable Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing only to unblock the owner; nothing to do about a failure
        }
    }
}
