package dev.myelin.storage.migration;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>The migrations are the folder's files named {@code NNNN_what.sql}, found by listing the folder (in a
 * directory, a jar or this module), applied in order of their numbers: adding one is adding a file, with
 * no shared list to edit. {@code NNNN_what.postgres.sql} or {@code NNNN_what.sqlite.sql} replaces
 * {@code NNNN_what.sql} for that dialect. Two different names with one number are refused, so two
 * branches that picked the same number fail at start-up instead of skipping one of the scripts.
 * Migrations are forward-only; a database whose version is newer than the newest file is refused with
 * {@link SchemaTooNewException}.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
    // NNNN_name.sql, or NNNN_name.sqlite.sql / NNNN_name.postgres.sql for one dialect
    private static final Pattern FILE_NAME = Pattern.compile("((\\d+)_[A-Za-z0-9_]+?)(?:\\.(sqlite|postgres))?\\.sql");
    /** The default classpath folder of migrations. */
    public static final String DEFAULT_LOCATION = "db/migrations";

    // schema_version is created here, not by a migration, so it is declared by hand rather than generated
    private static final Table<Record> SCHEMA_VERSION = table(name("schema_version"));
    private static final Field<Integer> VERSION = field(name("version"), SQLDataType.INTEGER.nullable(false));
    private static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR.nullable(false));

    private final Database db;
    private final String location;

    /**
     * A migrator for the schema's own migrations ({@value #DEFAULT_LOCATION}).
     *
     * @param db the database to migrate
     */
    public Migrator(Database db) {
        this(db, DEFAULT_LOCATION);
    }

    /**
     * A migrator for the migrations in another class path folder (tests use this).
     *
     * @param db the database to migrate
     * @param location the folder, e.g. {@code db/migrations}
     */
    public Migrator(Database db, String location) {
        this.db = db;
        this.location = location;
    }

    /**
     * The migrations for this database's dialect, in order of their numbers.
     *
     * @return one migration per number found in the folder, lowest first
     * @throws StorageException when two files claim one number under different names, or a file ending in
     *                          {@code .sql} does not follow the naming
     */
    public List<Migration> migrations() {
        String dialect = db.isSqlite() ? "sqlite" : "postgres";
        // version -> base name, and base name -> the file to use for this dialect
        TreeMap<Integer, String> bases = new TreeMap<>();
        Map<String, String> files = new HashMap<>();
        for (String file : listFolder()) {
            if (!file.endsWith(".sql")) {
                continue;
            }
            Matcher m = FILE_NAME.matcher(file);
            if (!m.matches()) {
                throw new StorageException("migration file " + location + "/" + file
                        + " is not named NNNN_name.sql or NNNN_name.<dialect>.sql");
            }
            String base = m.group(1);
            String fileDialect = m.group(3);
            int version = Integer.parseInt(m.group(2));
            String other = bases.putIfAbsent(version, base);
            if (other != null && !other.equals(base)) {
                throw new StorageException("two migrations are numbered " + version + " in " + location + ": " + other
                        + " and " + base + "; renumber the newer one");
            }
            if (fileDialect == null) {
                files.putIfAbsent(base, file);
            } else if (fileDialect.equals(dialect)) {
                files.put(base, file); // the dialect's override wins over the generic script
            }
        }
        List<Migration> result = new ArrayList<>();
        for (Map.Entry<Integer, String> e : bases.entrySet()) {
            String base = e.getValue();
            String file = files.get(base);
            if (file == null) {
                throw new StorageException("migration " + base + " has only other dialects' files; add " + base
                        + ".sql or " + base + "." + dialect + ".sql");
            }
            String source = location + "/" + file;
            result.add(new Migration(e.getKey(), base, source, read(source)));
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
                        throw new StorageException(
                                "migration " + migration.name() + " (" + migration.source() + ") failed at statement "
                                        + (i + 1) + ": " + root.getMessage() + "\n" + statement,
                                e);
                    }
                }
                tx.dsl()
                        .insertInto(SCHEMA_VERSION, VERSION, NAME)
                        .values(migration.version(), migration.name())
                        .execute();
            });
            applied++;
        }
        return applied;
    }

    private void ensureVersionTable() {
        db.update(tx -> tx.dsl()
                .createTableIfNotExists(SCHEMA_VERSION)
                .column(VERSION)
                .column(NAME)
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

    /**
     * The names of the files directly in the migrations folder. A folder on the class path is listed
     * from its directory or jar; a folder inside this named module (on the module path) through the
     * module's reader, since class loaders do not list, nor show, a named module's packages.
     */
    private Set<String> listFolder() {
        String prefix = location + "/";
        Set<String> names = new TreeSet<>();
        try {
            Module module = Migrator.class.getModule();
            if (module.isNamed() && module.getLayer() != null) {
                var resolved = module.getLayer().configuration().findModule(module.getName());
                if (resolved.isPresent()) {
                    try (ModuleReader reader = resolved.get().reference().open();
                            var all = reader.list()) {
                        all.filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
                                .forEach(n -> names.add(n.substring(prefix.length())));
                    }
                }
            }
            Enumeration<URL> folders = loader().getResources(location);
            while (folders.hasMoreElements()) {
                URL folder = folders.nextElement();
                switch (folder.getProtocol()) {
                    case "file" -> {
                        try (var entries = Files.list(Path.of(folder.toURI()))) {
                            entries.filter(Files::isRegularFile)
                                    .forEach(f -> names.add(f.getFileName().toString()));
                        }
                    }
                    case "jar" -> {
                        JarURLConnection connection = (JarURLConnection) folder.openConnection();
                        connection.setUseCaches(false);
                        try (JarFile jar = connection.getJarFile()) {
                            jar.stream()
                                    .map(JarEntry::getName)
                                    .filter(n -> n.startsWith(prefix)
                                            && n.length() > prefix.length()
                                            && n.indexOf('/', prefix.length()) < 0)
                                    .forEach(n -> names.add(n.substring(prefix.length())));
                        }
                    }
                    default -> throw new StorageException("cannot list migrations in " + folder);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new StorageException("cannot list migrations in " + location + ": " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            throw new StorageException("no migrations found at " + location);
        }
        return names;
    }

    private static String read(String path) {
        try (InputStream in = open(path)) {
            if (in == null) {
                throw new StorageException("cannot find migration " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new StorageException("cannot read migration " + path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String path) throws IOException {
        // this module may read its own packages' resources even where a class loader may not
        InputStream in = Migrator.class.getModule().getResourceAsStream(path);
        return in != null ? in : loader().getResourceAsStream(path);
    }

    private static ClassLoader loader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : Migrator.class.getClassLoader();
    }
}
