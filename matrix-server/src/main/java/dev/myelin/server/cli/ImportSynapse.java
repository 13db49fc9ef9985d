package dev.myelin.server.cli;

import dev.myelin.core.time.SystemClock;
import dev.myelin.server.config.ConfigException;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.migrate.SynapseConfig;
import dev.myelin.server.migrate.SynapseImport;
import dev.myelin.storage.DatabaseConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code import-synapse}: reads both configurations and hands {@link SynapseImport} the Synapse server to
 * move and the Myelin database, media store and signing key to move it into.
 */
final class ImportSynapse {
    private final PrintStream out;
    private final PrintStream err;

    ImportSynapse(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    void run(Path synapseConfig, List<Path> myelinConfig, boolean dryRun) {
        SynapseConfig synapse = SynapseConfig.read(synapseConfig);
        HomeserverConfig config = new ConfigLoader().load(myelinConfig);
        DatabaseConfig database;
        try {
            database = DatabaseConfig.parse(ServerRunner.resolveSqlitePath(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(myelinConfig + ": " + e.getMessage());
        }
        new SynapseImport(out, err, SystemClock.INSTANCE, System.console() != null)
                .run(new SynapseImport.Options(
                        synapse,
                        config.serverName(),
                        database,
                        config.mediaStorePath(),
                        config.signingKeyPath(),
                        dryRun));
    }
}
