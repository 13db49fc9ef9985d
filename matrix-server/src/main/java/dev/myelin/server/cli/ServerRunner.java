package dev.myelin.server.cli;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.SigningKeyFile;
import dev.myelin.core.time.SystemClock;
import dev.myelin.server.Homeserver;
import dev.myelin.server.config.ConfigException;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.config.ListenerConfig;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}: opens the configured database (migrating it), reads the signing key, builds the
 * homeserver with the system clock and starts its listeners, then logs one line saying what is
 * being served where.
 */
final class ServerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRunner.class);

    private ServerRunner() {}

    /** The started server and its idempotent stop action. */
    record Started(Homeserver server, Runnable stop) {}

    static Started start(HomeserverConfig config, Path configFile) {
        return start(config, configFile.toString());
    }

    /** @param configFiles the names of the files the config was read from, for messages */
    static Started start(HomeserverConfig config, String configFiles) {
        DatabaseConfig databaseConfig;
        try {
            databaseConfig = DatabaseConfig.parse(resolveSqlitePath(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configFiles + ": " + e.getMessage());
        }
        Path keyPath = config.signingKeyPath();
        if (!Files.isRegularFile(keyPath)) {
            throw new StartupException("signing key file " + keyPath + " does not exist; "
                    + "generate-config writes one, or point signing_key_path at an existing key");
        }
        List<SigningKey> keys;
        try {
            keys = SigningKeyFile.read(keyPath);
        } catch (RuntimeException e) {
            throw new StartupException("cannot read signing key " + keyPath + ": " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new StartupException("signing key file " + keyPath + " holds no key");
        }
        IdleHeapRelease.apply();
        Database database;
        try {
            database = Database.open(databaseConfig);
        } catch (RuntimeException e) {
            throw new StartupException(
                    "cannot open the database (" + describe(databaseConfig) + "): " + e.getMessage());
        }
        Homeserver server;
        try {
            server = Homeserver.create(
                    config,
                    SystemClock.INSTANCE,
                    database,
                    keys.getFirst(),
                    new Homeserver.Options(config.bcryptRounds(), false));
        } catch (RuntimeException e) {
            database.close();
            throw new StartupException("cannot build the homeserver: " + e.getMessage());
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StartupException("cannot start listening on " + String.join(", ", configuredListeners(config))
                    + ": " + cause.getMessage());
        }
        LOG.info(
                "Myelin {} serving {} on {}; database {}",
                Version.current(),
                config.serverName(),
                String.join(", ", boundListeners(config, server.http().ports())),
                describe(databaseConfig));
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                LOG.info("stopping: finishing in-flight requests, then closing the database");
                server.close();
                LOG.info("stopped");
            }
        };
        return new Started(server, stop);
    }

    /**
     * A relative SQLite path is resolved against the config file's directory, like every other
     * path in the config, so the server finds its data whatever directory it is started from.
     */
    static Map<String, Object> resolveSqlitePath(HomeserverConfig config) {
        Map<String, Object> section = new LinkedHashMap<>(config.database());
        Object name = section.get("name");
        if (("sqlite3".equals(name) || "sqlite".equals(name))
                && section.get("args") instanceof Map<?, ?> args
                && args.get("database") instanceof String file
                && !file.equals(":memory:")
                && !Path.of(file).isAbsolute()) {
            Map<String, Object> copy = new LinkedHashMap<>();
            args.forEach((k, v) -> copy.put(String.valueOf(k), v));
            copy.put(
                    "database", config.dataDirectory().resolve(file).normalize().toString());
            section.put("args", copy);
        }
        return section;
    }

    /** The engine and where the data is; never the password. */
    static String describe(DatabaseConfig config) {
        return switch (config.engine()) {
            case SQLITE -> "sqlite " + config.sqliteFile().map(Path::toString).orElse(config.jdbcUrl());
            case POSTGRES -> {
                String url = config.jdbcUrl().substring("jdbc:postgresql:".length());
                int query = url.indexOf('?');
                // Query parameters may carry credentials; the host and database name are enough.
                yield "postgresql " + (query >= 0 ? url.substring(0, query) : url)
                        + config.user().map(u -> " as " + u).orElse("");
            }
        };
    }

    private static List<String> configuredListeners(HomeserverConfig config) {
        List<String> out = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            for (String address : listener.bindAddresses()) {
                out.add(hostPort(address, listener.port()));
            }
        }
        return out;
    }

    /** Each bound address with its actual port (which differs from the config's when it asked for 0). */
    private static List<String> boundListeners(HomeserverConfig config, List<Integer> ports) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (ListenerConfig listener : config.listeners()) {
            for (String address : listener.bindAddresses()) {
                int port = i < ports.size() ? ports.get(i) : listener.port();
                out.add(hostPort(address, port) + " "
                        + listener.resources().stream().sorted().toList());
                i++;
            }
        }
        return out;
    }

    static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** The server could not start; the message says why. Exit code 1. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }
    }
}
