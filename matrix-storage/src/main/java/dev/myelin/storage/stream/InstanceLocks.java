package dev.myelin.storage.stream;

import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which processes of a homeserver sharing a PostgreSQL database are alive, as PostgreSQL sees them:
 * each holds a session advisory lock named after its instance for as long as it runs, on a
 * connection of its own. When a process dies, however it dies, its session ends, its open
 * transactions are rolled back and its lock is free: another process that can take the lock knows
 * that nothing of the dead one is still in flight, and stops waiting for it.
 */
public final class InstanceLocks implements AutoCloseable {
    private final Connection held;
    private final Connection probe;
    private final ReentrantLock probeLock = new ReentrantLock();

    private InstanceLocks(Connection held, Connection probe) {
        this.held = held;
        this.probe = probe;
    }

    /**
     * Takes {@code instance}'s lock for this process's lifetime.
     *
     * @throws StorageException when another live process already runs as {@code instance}
     */
    public static InstanceLocks hold(DatabaseConfig config, String instance) {
        if (config.engine() != DatabaseConfig.Engine.POSTGRES) {
            throw new StorageException("instance locks need PostgreSQL");
        }
        Connection held = null;
        try {
            held = connect(config);
            if (!tryLock(held, instance)) {
                throw new StorageException("another process already runs as instance '" + instance
                        + "' on this database: every process needs its own worker_name");
            }
            return new InstanceLocks(held, connect(config));
        } catch (SQLException e) {
            closeQuietly(held);
            throw new StorageException("cannot take the instance lock of '" + instance + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(held);
            throw e;
        }
    }

    /** Whether a process runs as {@code instance} now (its lock is held). */
    public boolean isAlive(String instance) {
        probeLock.lock();
        try {
            if (!tryLock(probe, instance)) {
                return true;
            }
            try (PreparedStatement unlock = probe.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, key(instance));
                unlock.execute();
            }
            return false;
        } catch (SQLException e) {
            return true; // cannot tell: keep waiting for it
        } finally {
            probeLock.unlock();
        }
    }

    @Override
    public void close() {
        closeQuietly(probe);
        closeQuietly(held); // the session ends: the lock is free
    }

    private static boolean tryLock(Connection connection, String instance) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            lock.setLong(1, key(instance));
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The lock's 64-bit key: the first eight bytes of the SHA-256 of a name space and the instance. */
    static long key(String instance) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("myelin.instance." + instance).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static Connection connect(DatabaseConfig config) throws SQLException {
        Properties properties = new Properties();
        config.user().ifPresent(u -> properties.setProperty("user", u));
        config.password().ifPresent(p -> properties.setProperty("password", p));
        Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
        connection.setAutoCommit(true);
        return connection;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing: nothing left to do
            }
        }
    }
}
