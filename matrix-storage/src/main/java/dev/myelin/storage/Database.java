package dev.myelin.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.myelin.core.cache.CacheInvalidation;
import dev.myelin.storage.migration.Migrator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database: connection pools, the jOOQ dialect, and transactions as lambdas.
 *
 * <p>SQLite is opened in WAL mode with {@code synchronous=NORMAL}, foreign keys on and a busy timeout. Writes
 * go through a pool of exactly one connection that starts its transactions with {@code BEGIN IMMEDIATE}, so
 * writers queue in the pool instead of failing with {@code SQLITE_BUSY}; reads use a separate read-only pool
 * and see a consistent snapshot thanks to WAL. PostgreSQL uses one ordinary pool.
 *
 * <p>{@link #write} and {@link #read} retry the whole lambda when the database reports a serialization
 * failure or deadlock (SQLSTATE 40001 / 40P01) or {@code SQLITE_BUSY}, so the lambda must not have side
 * effects outside the transaction other than through {@link Transaction#afterCommit}.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    private final DatabaseConfig config;
    private final SQLDialect dialect;
    private final HikariDataSource writers;
    private final HikariDataSource readers;
    // per-query debug logging is off: it costs on every statement of the hot persist path
    private final Settings settings = new Settings().withExecuteLogging(false).withRenderSchema(false);
    private final CacheInvalidation invalidation = new CacheInvalidation();
    private final LongAdder readTransactions = new LongAdder();
    private final LongAdder writeTransactions = new LongAdder();
    // set once at start-up by whoever exports metrics; volatile so every thread sees it
    private volatile TransactionObserver observer = TransactionObserver.NONE;

    /**
     * Told of every transaction (all its attempts together), to time them for metrics. It runs on
     * the transaction's thread, so it must be quick and must not throw.
     */
    public interface TransactionObserver {
        /** Observes nothing. */
        TransactionObserver NONE = new TransactionObserver() {
            @Override
            public long begin() {
                return 0;
            }

            @Override
            public void end(long begun, boolean write) {}
        };

        /** A transaction begins; what is returned is handed back to {@link #end}. */
        long begin();

        /** The transaction that began at {@code begun} ended (committed or failed). */
        void end(long begun, boolean write);
    }

    /**
     * How one connection pool is used now.
     *
     * @param pool {@code writer} or {@code reader} (one pool serving both is reported as {@code writer})
     * @param active connections lent out
     * @param idle connections waiting in the pool
     * @param waiting threads waiting for a connection
     * @param max the pool's bound
     */
    public record PoolUsage(String pool, int active, int idle, int waiting, int max) {}

    private Database(DatabaseConfig config, HikariDataSource writers, HikariDataSource readers) {
        this.config = config;
        this.dialect = config.engine() == DatabaseConfig.Engine.SQLITE ? SQLDialect.SQLITE : SQLDialect.POSTGRES;
        this.writers = writers;
        this.readers = readers;
    }

    /** Opens the database and brings its schema up to date (see {@link Migrator}). */
    public static Database open(DatabaseConfig config) {
        Database db = openWithoutMigrating(config);
        try {
            new Migrator(db).migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Opens the database without touching its schema; for tools and tests of the migrator itself. */
    public static Database openWithoutMigrating(DatabaseConfig config) {
        return switch (config.engine()) {
            case SQLITE -> openSqlite(config);
            case POSTGRES -> openPostgres(config);
        };
    }

    private static Database openSqlite(DatabaseConfig config) {
        if (config.sqliteFile().isEmpty()) {
            throw new StorageException(
                    "SQLite needs a database file (the writer and reader pools share it): " + config.jdbcUrl());
        }
        HikariDataSource writer = sqlitePool(config, "writer", false, 1, 1);
        try {
            // the first connection switches the file to WAL; readers must not race it
            try (Connection c = writer.getConnection()) {
                c.isValid(1);
            }
            HikariDataSource reader = sqlitePool(config, "reader", true, config.minIdle(), config.maxPoolSize());
            return new Database(config, writer, reader);
        } catch (SQLException | RuntimeException e) {
            writer.close();
            throw new StorageException("cannot open SQLite database " + config.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that PostgreSQL's JDBC driver is on the class path: it is an optional dependency, which a
     * project that uses PostgreSQL adds itself.
     *
     * @throws StorageException naming the artifact to add when the driver is missing
     */
    public static void requirePostgresDriver() {
        try {
            Class.forName("org.postgresql.Driver", false, Database.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new StorageException("PostgreSQL needs its JDBC driver, org.postgresql:postgresql, on the class"
                    + " path: it is an optional dependency of dev.myelin:matrix-storage, so add it to your project's"
                    + " dependencies");
        }
    }

    private static HikariDataSource sqlitePool(DatabaseConfig config, String role, boolean readOnly, int min, int max) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
        sqlite.setCacheSize(-32_768); // KiB: 32 MiB of page cache per connection instead of the 2 MiB default
        if (!readOnly) {
            // take the write lock at BEGIN, so a writer never has to upgrade a read lock and fail busy
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        SQLiteDataSource ds = new SQLiteDataSource(sqlite);
        ds.setUrl(config.jdbcUrl());
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("sqlite-" + role);
        hikari.setDataSource(ds);
        hikari.setMinimumIdle(min);
        hikari.setMaximumPoolSize(max);
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(60_000);
        return new HikariDataSource(hikari);
    }

    private static Database openPostgres(DatabaseConfig config) {
        requirePostgresDriver();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("postgres");
        hikari.setJdbcUrl(config.jdbcUrl());
        config.user().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        hikari.setMinimumIdle(config.minIdle());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setAutoCommit(false);
        try {
            HikariDataSource pool = new HikariDataSource(hikari);
            return new Database(config, pool, pool);
        } catch (RuntimeException e) {
            throw new StorageException(
                    "cannot open PostgreSQL database " + config.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** The configuration this database was opened with. */
    /**
     * Where the caches over this database register and hear of changes: the stores invalidate through it,
     * and worker replication forwards its invalidations between processes sharing the database.
     */
    public CacheInvalidation invalidation() {
        return invalidation;
    }

    /**
     * Invalidates {@code keys} of {@code cache} now, inside the writing transaction {@code tx}, and again once
     * it commits: a reader that loaded the old row in between does not keep it (see
     * {@link dev.myelin.core.cache.StampedCache}).
     */
    public void invalidateOnCommit(Transaction tx, String cache, List<String> keys) {
        List<String> stale = List.copyOf(keys);
        invalidation.invalidate(cache, stale);
        tx.afterCommit(() -> invalidation.invalidate(cache, stale));
    }

    public DatabaseConfig config() {
        return config;
    }

    /** The jOOQ dialect: {@code SQLITE} or {@code POSTGRES}. */
    public SQLDialect dialect() {
        return dialect;
    }

    /** Whether this is SQLite, where exactly one connection writes. */
    public boolean isSqlite() {
        return dialect == SQLDialect.SQLITE;
    }

    /** Runs {@code work} in a write transaction, retrying on serialization failures, and returns its result. */
    public <T> T write(TransactionWork<T> work) {
        return run(writers, true, work);
    }

    /** Runs {@code action} in a write transaction, retrying on serialization failures. */
    public void update(TransactionAction action) {
        run(writers, true, tx -> {
            action.run(tx);
            return null;
        });
    }

    /** Runs {@code work} in a read-only transaction that sees one consistent snapshot. */
    public <T> T read(TransactionWork<T> work) {
        return run(readers, false, work);
    }

    /** How many read transactions were started (retries included): what the caches are meant to save. */
    public long readTransactions() {
        return readTransactions.sum();
    }

    /** How many write transactions were started (retries included). */
    public long writeTransactions() {
        return writeTransactions.sum();
    }

    /** Sets who is told of every transaction from now on (metrics). */
    public void observeTransactions(TransactionObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    /** The pools' usage now: one entry per pool. */
    public List<PoolUsage> poolUsage() {
        List<PoolUsage> out = new java.util.ArrayList<>();
        out.add(usage("writer", writers));
        if (readers != writers) {
            out.add(usage("reader", readers));
        }
        return out;
    }

    private static PoolUsage usage(String name, HikariDataSource pool) {
        com.zaxxer.hikari.HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) { // not started yet, or closed
            return new PoolUsage(name, 0, 0, 0, pool.getMaximumPoolSize());
        }
        return new PoolUsage(
                name,
                bean.getActiveConnections(),
                bean.getIdleConnections(),
                bean.getThreadsAwaitingConnection(),
                pool.getMaximumPoolSize());
    }

    private <T> T run(HikariDataSource pool, boolean writable, TransactionWork<T> work) {
        (writable ? writeTransactions : readTransactions).increment();
        TransactionObserver observing = observer;
        long begun = observing.begin();
        try {
            return attempt(pool, writable, work);
        } finally {
            observing.end(begun, writable);
        }
    }

    private <T> T attempt(HikariDataSource pool, boolean writable, TransactionWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            Transaction tx = null;
            boolean committed = false;
            try (Connection connection = pool.getConnection()) {
                if (!isSqlite()) {
                    connection.setReadOnly(!writable);
                }
                tx = new Transaction(DSL.using(connection, dialect, settings), writable);
                T result;
                try {
                    result = work.run(tx);
                    tx.runBeforeCommit();
                    connection.commit();
                } catch (Throwable e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
                committed = true;
                tx.committed();
                return result;
            } catch (Throwable e) {
                if (committed) {
                    // what failed came after the commit (an after-commit action, closing the connection):
                    // the transaction's work stands, so it is neither rolled back nor run again
                    throw translate(e);
                }
                if (tx != null) {
                    tx.rolledBack();
                }
                if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
                    LOG.debug("retrying transaction after attempt {}", attempt, e);
                    backOff(attempt);
                    continue;
                }
                throw translate(e);
            }
        }
    }

    /**
     * What a failed transaction throws to its caller: the database's own exceptions (jOOQ's, JDBC's, the
     * pool's) become {@link StorageException}, so they never leak past this module; exceptions the lambda
     * threw itself, and errors, pass through unchanged.
     */
    private static RuntimeException translate(Throwable e) {
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof IntegrityConstraintViolationException violation) {
            return new ConstraintViolationException("constraint violated: " + violation.getMessage(), violation);
        }
        if (e instanceof DataAccessException dataAccess) {
            return new StorageException("database error: " + dataAccess.getMessage(), dataAccess);
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new StorageException("transaction failed: " + e.getMessage(), e);
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void backOff(int attempt) {
        long maxMicros = Math.min(50_000L, 500L << attempt);
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros / 2, maxMicros) * 1_000L);
    }

    /** Whether {@code e} is a transient conflict after which the whole transaction may simply be retried. */
    static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state)) {
                    return true;
                }
                if (sql instanceof org.sqlite.SQLiteException lite) {
                    int code = lite.getResultCode().code & 0xff;
                    if (code == 5 || code == 6) { // SQLITE_BUSY, SQLITE_LOCKED
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    @Override
    public void close() {
        writers.close();
        if (readers != writers) {
            readers.close();
        }
    }
}
