package dev.myelin.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceilings the homeserver's figures are divided by: the least a Jetty 12 endpoint on this
 * machine can cost, served inside the bench process on 127.0.0.1 with the homeserver's threading
 * (blocking handlers on virtual threads).
 *
 * <ul>
 *   <li>{@code GET /fixed}: a constant JSON body, so HTTP and the load generator alone;
 *   <li>{@code POST /insert}: commits one row to SQLite per request, on one connection behind a
 *       lock (WAL, {@code synchronous=NORMAL}, a single writer, as the homeserver's SQLite setup),
 *       the floor of any request that must durably write something;
 *   <li>{@code POST /insert-postgres}, when built with a PostgreSQL data source: the same row
 *       committed to PostgreSQL per request, on a pool of connections (many writers, as the
 *       homeserver's PostgreSQL setup).
 * </ul>
 */
public final class Ceiling implements AutoCloseable {
    /** The PostgreSQL ceiling's table, dropped again on close so the database is left as found. */
    static final String POSTGRES_TABLE = "bench_ceiling_rows";

    private static final byte[] FIXED = """
            {"event_id":"$0123456789abcdefghijklmnopqrstuvwxyzABCDEFG","room_id":"!bench:bench.local"}""".getBytes(StandardCharsets.UTF_8);

    private final Server server;
    private final Connection sqlite;
    private final PreparedStatement insert;
    private final ReentrantLock writer = new ReentrantLock();
    private final Path dir;
    private final DataSource postgres;
    private long rows;

    /** The ceilings without PostgreSQL. */
    public Ceiling() throws Exception {
        this(null);
    }

    /**
     * The ceilings, with {@code /insert-postgres} into table {@value #POSTGRES_TABLE} of {@code
     * postgres} (created here, dropped on close) when it is not null.
     */
    public Ceiling(DataSource postgres) throws Exception {
        this.postgres = postgres;
        if (postgres != null) {
            try (Connection c = postgres.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + POSTGRES_TABLE);
                s.execute("CREATE TABLE " + POSTGRES_TABLE
                        + " (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, ts BIGINT NOT NULL)");
            }
        }
        dir = Files.createTempDirectory("myelin-bench-ceiling");
        sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ceiling.db"));
        try (Statement s = sqlite.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, ts INTEGER NOT NULL)");
        }
        insert = sqlite.prepareStatement("INSERT INTO rows (body, ts) VALUES (?, ?)");

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("ceiling-http");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("ceiling-vt-", 0).factory()));
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (path.equals("/insert")) {
                    String body = Request.asInputStream(request).readAllBytes().length + " bytes";
                    insertRow(body);
                } else if (path.equals("/insert-postgres") && postgres != null) {
                    String body = Request.asInputStream(request).readAllBytes().length + " bytes";
                    insertPostgresRow(body);
                } else if (!path.equals("/fixed")) {
                    return false;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(FIXED), callback);
                return true;
            }
        });
        server.start();
    }

    private void insertRow(String body) throws SQLException {
        writer.lock();
        try {
            // autocommit: each execute is one committed transaction
            insert.setString(1, body);
            insert.setLong(2, System.currentTimeMillis());
            insert.executeUpdate();
            rows++;
        } finally {
            writer.unlock();
        }
    }

    private void insertPostgresRow(String body) throws SQLException {
        // autocommit on a pooled connection: one committed transaction per request
        try (Connection c = postgres.getConnection();
                PreparedStatement s =
                        c.prepareStatement("INSERT INTO " + POSTGRES_TABLE + " (body, ts) VALUES (?, ?)")) {
            s.setString(1, body);
            s.setLong(2, System.currentTimeMillis());
            s.executeUpdate();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (postgres != null) {
            try (Connection c = postgres.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + POSTGRES_TABLE);
            }
        }
        insert.close();
        sqlite.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; leaving it is harmless
        }
    }
}
