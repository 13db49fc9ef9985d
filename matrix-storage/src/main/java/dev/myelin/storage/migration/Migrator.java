package dev.myelin.storage.migration;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered SQL files under a classpath folder (by default {@code db/migrations}) that the
 * database has not seen yet, each in its own transaction, recording them in {@code schema_version}.
 *
 * <p>The folder holds an {@code INDEX} file listing the migrations' base names in order (a jar cannot be
 * listed portably). For each name {@code NNNN_what}, {@code NNNN_what.postgres.sql} or
 * {@code NNNN_what.sqlite.sql} is used when present for the dialect, else {@code NNNN_what.sql}.
 * Migrations are forward-only; a database whose version is newer than the newest file is refused with
 * {@link SchemaTooNewException}.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
    /** The default classpath folder of migrations. */
    public static final String DEFAULT_LOCATION = "db/migrations";

    // schema_version is created here, not by a migration, so it is declared by hand rather than generated
    private static final Table<Record> SCHEMA_VERSION = table(name("schema_version"));
    private static final Field<Integer> VERSION = field(name("version"), SQLDataType.INTEGER.nullable(false));
    private static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR.nullable(false));

    private final Database db;
    private final String location;

    public Migrator(Database db) {
        this(db, DEFAULT_LOCATION);
    }

    public Migrator(Database db, String location) {
        this.db = db;
        this.location = location;
    }

    /** The migrations for this database's dialect, in order. */
    public List<Migration> migrations() {
        String index = resource(location + "/INDEX");
        if (index == null) {
            throw new StorageException("no migration index at classpath:" + location + "/INDEX");
        }
        String dialectSuffix = db.isSqlite() ? ".sqlite.sql" : ".postgres.sql";
        List<Migration> result = new ArrayList<>();
        for (String line : index.split("\n")) {
            String base = line.trim();
            if (base.isEmpty() || base.startsWith("#")) {
                continue;
            }
            int underscore = base.indexOf('_');
            int version;
            try {
                version = Integer.parseInt(underscore < 0 ? base : base.substring(0, underscore));
            } catch (NumberFormatException e) {
                throw new StorageException("migration name must start with its number: " + base, e);
            }
            if (!result.isEmpty() && result.getLast().version() >= version) {
                throw new StorageException("migrations out of order in " + location + "/INDEX at " + base);
            }
            String source = location + "/" + base + dialectSuffix;
            String sql = resource(source);
            if (sql == null) {
                source = location + "/" + base + ".sql";
                sql = resource(source);
            }
            if (sql == null) {
                throw new StorageException("migration " + base + " listed in the index has no file " + source);
            }
            result.add(new Migration(version, base, source, sql));
        }
        return result;
    }

    /** The version recorded in the database, 0 for an empty one. */
    public int currentVersion() {
        ensureVersionTable();
        return db.read(tx -> {
            Integer v = tx.dsl().select(max(VERSION)).from(SCHEMA_VERSION).fetchOne(0, Integer.class);
            return v == null ? 0 : v;
        });
    }

    /** Applies every pending migration; returns how many were applied. */
    public int migrate() {
        List<Migration> migrations = migrations();
        int codeVersion = migrations.isEmpty() ? 0 : migrations.getLast().version();
        int dbVersion = currentVersion();
        if (dbVersion > codeVersion) {
            throw new SchemaTooNewException(dbVersion, codeVersion);
        }
        int applied = 0;
        for (Migration migration : migrations) {
            if (migration.version() <= dbVersion) {
                continue;
            }
            LOG.info("applying database migration {} from {}", migration.name(), migration.source());
            db.update(tx -> {
                // re-check inside the transaction: another process may have applied it meanwhile
                Integer now = tx.dsl().select(max(VERSION)).from(SCHEMA_VERSION).fetchOne(0, Integer.class);
                if (now != null && now >= migration.version()) {
                    return;
                }
                List<String> statements = statements(migration.sql());
                for (int i = 0; i < statements.size(); i++) {
                    String statement = statements.get(i);
                    try {
                        tx.dsl().connection(c -> {
                            try (Statement s = c.createStatement()) {
                                s.execute(statement);
                            }
                        });
                    } catch (RuntimeException e) {
                        Throwable root = e;
                        while (root.getCause() != null && root.getCause() != root) {
                            root = root.getCause();
                        }
                        throw new StorageException("migration " + migration.name() + " (" + migration.source()
                                + ") failed at statement " + (i + 1) + ": " + root.getMessage() + "\n" + statement, e);
                    }
                }
                tx.dsl().insertInto(SCHEMA_VERSION, VERSION, NAME)
                        .values(migration.version(), migration.name())
                        .execute();
            });
            applied++;
        }
        return applied;
    }

    private void ensureVersionTable() {
        db.update(tx -> tx.dsl().createTableIfNotExists(SCHEMA_VERSION)
                .column(VERSION).column(NAME)
                .primaryKey(VERSION)
                .execute());
    }

    /** Splits a script into statements at semicolons that end a line, dropping {@code --} comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String rawLine : script.split("\n")) {
            String line = rawLine;
            int comment = line.indexOf("--");
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            line = line.stripTrailing();
            if (line.isBlank()) {
                continue;
            }
            current.append(line).append('\n');
            if (line.endsWith(";")) {
                String statement = current.toString().trim();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }

    private static String resource(String path) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Migrator.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new StorageException("cannot read migration " + path + ": " + e.getMessage(), e);
        }
    }
}
