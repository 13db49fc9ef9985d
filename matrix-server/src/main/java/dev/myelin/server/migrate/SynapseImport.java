package dev.myelin.server.migrate;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.SigningKeyFile;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.search.EventSearchStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Moves a stopped Synapse server into an empty Myelin database: checks that both serve the same server
 * name, that Synapse's schema is the one known here and that Myelin's database is empty, then imports each
 * data area in turn, sets Myelin's stream positions past what was imported, copies the media files and
 * the signing key. A dry run reads everything and writes nothing.
 */
public final class SynapseImport {
    /** Myelin tables that hold anything once a server has been used; any row in them refuses the import. */
    private static final List<String> USED_TABLES =
            List.of("users", "rooms", "events", "local_media", "access_tokens", "account_data");

    /**
     * What to import where.
     *
     * @param synapse Synapse's configuration
     * @param serverName the server name of Myelin's configuration
     * @param database Myelin's database
     * @param mediaStore Myelin's {@code media_store_path}
     * @param signingKey Myelin's {@code signing_key_path}
     * @param dryRun read and count only
     */
    public record Options(
            SynapseConfig synapse,
            String serverName,
            DatabaseConfig database,
            Path mediaStore,
            Path signingKey,
            boolean dryRun) {}

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final boolean terminal;

    public SynapseImport(PrintStream out, PrintStream err, Clock clock, boolean terminal) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.terminal = terminal;
    }

    /** Runs the import; {@link ImportException} says why it refused or failed. */
    public ImportReport run(Options options) {
        SynapseConfig synapse = options.synapse();
        if (!synapse.serverName().equals(options.serverName())) {
            throw new ImportException(
                    "the server names differ: Synapse serves '" + synapse.serverName()
                            + "', the Myelin config says '" + options.serverName()
                            + "'. A server cannot change its name: "
                            + "set server_name in Myelin's config to '" + synapse.serverName() + "'",
                    3);
        }
        List<SigningKey> keys = readSigningKey(synapse.signingKey());
        long start = clock.monotonicNanos();
        long migrating = 0;
        ImportReport report = new ImportReport();
        try (SourceDatabase source = SourceDatabase.open(synapse.database())) {
            source.checkSchemaVersion();
            long opening = clock.monotonicNanos();
            Database db = options.dryRun() ? null : openEmpty(options.database());
            if (db != null) {
                migrating = clock.monotonicNanos() - opening;
                err.printf("Myelin's database opened and migrated in %.2f s%n", migrating / 1e9);
            }
            try {
                Target target = new Target(db, report, new Progress(err, clock, terminal));
                ImportContext ctx = new ImportContext(source, target, synapse.serverName(), clock);
                importAll(ctx, options);
                if (db != null) {
                    // the events were written around the persister: the search index is built from them
                    int indexed = new EventSearchStore(db).rebuild();
                    err.printf("%d events indexed for search%n", indexed);
                }
                if (!options.dryRun()) {
                    writeSigningKey(options.signingKey(), keys);
                }
            } finally {
                if (db != null) {
                    db.close();
                }
            }
        }
        double seconds = Math.max((clock.monotonicNanos() - start) / 1e9, 1e-3);
        report.print(out, options.dryRun());
        out.printf(
                "%s %d Synapse rows (%d Myelin rows) in %.2f s: %.0f rows/s%n",
                options.dryRun() ? "dry run: read" : "imported",
                report.rowsRead(),
                report.rowsWritten(),
                seconds,
                report.rowsRead() / seconds);
        double copying = Math.max(seconds - migrating / 1e9, 1e-3);
        out.printf(
                "of which copying took %.2f s (%.0f rows/s), creating Myelin's schema %.2f s%n",
                copying, report.rowsRead() / copying, migrating / 1e9);
        if (options.dryRun()) {
            out.println("dry run: nothing was written");
        } else {
            out.println("signing key " + keys.getFirst().keyId() + " written to " + options.signingKey());
        }
        return report;
    }

    private static void importAll(ImportContext ctx, Options options) {
        UsersImport users = new UsersImport(ctx);
        users.run();
        RoomsImport rooms = new RoomsImport(ctx);
        rooms.run();
        new StateGroupsImport(ctx).run();
        AccountDataImport accountData = new AccountDataImport(ctx, users.users());
        accountData.run();
        new NotificationsImport(ctx, users.users()).run();
        E2eeImport e2ee = new E2eeImport(ctx, users.users());
        e2ee.run();
        new MediaImport(ctx, options.synapse().mediaStore(), options.mediaStore()).run();
        new StreamPositions(ctx)
                .run(accountData.accountDataPosition(), accountData.receiptsPosition(), e2ee.toDevicePosition());
    }

    private static Database openEmpty(DatabaseConfig config) {
        Database db;
        try {
            db = Database.open(config);
        } catch (RuntimeException e) {
            throw new ImportException("cannot open Myelin's database: " + e.getMessage(), 1);
        }
        for (String table : USED_TABLES) {
            int rows = db.read(tx -> tx.dsl().fetchCount(tx.dsl().selectOne().from(table)));
            if (rows > 0) {
                db.close();
                throw new ImportException(
                        "Myelin's database is not empty (" + table + " has " + rows + " rows). "
                                + "The import only writes into an empty database: point database: at a new one "
                                + "(or delete it), and re-run",
                        1);
            }
        }
        return db;
    }

    private static List<SigningKey> readSigningKey(Path file) {
        try {
            List<SigningKey> keys = SigningKeyFile.read(file);
            if (keys.isEmpty()) {
                throw new ImportException("Synapse's signing key file " + file + " holds no key", 1);
            }
            return keys;
        } catch (RuntimeException e) {
            if (e instanceof ImportException ie) {
                throw ie;
            }
            throw new ImportException("cannot read Synapse's signing key " + file + ": " + e.getMessage(), 1);
        }
    }

    /** Myelin signs with Synapse's key from now on: the server keeps its identity for other servers. */
    private void writeSigningKey(Path file, List<SigningKey> keys) {
        try {
            if (Files.exists(file)) {
                List<SigningKey> existing = SigningKeyFile.read(file);
                if (existing.equals(keys)) {
                    return;
                }
                Path aside = file.resolveSibling(file.getFileName() + ".before-import");
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                err.println("moved Myelin's previous signing key to " + aside);
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            SigningKeyFile.write(file, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
