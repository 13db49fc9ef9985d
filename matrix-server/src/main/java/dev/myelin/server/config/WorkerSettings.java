package dev.myelin.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the worker keys of {@code homeserver.yaml} (and of a worker's own file merged over it)
 * into a {@link WorkerConfig}, for {@link ConfigLoader}, and checks that a multi-process
 * configuration can run: every process other processes must reach is in {@code instance_map},
 * and the database and Redis are ones several processes can share.
 */
final class WorkerSettings {
    /** The top-level keys read here. */
    static final Set<String> KEYS = Set.of(
            "worker_app",
            "worker_name",
            "worker_listeners",
            "worker_log_config",
            "worker_pid_file",
            "worker_daemonize",
            "instance_map",
            "stream_writers",
            "federation_sender_instances",
            "pusher_instances",
            "run_background_tasks_on",
            "media_instance_running_background_jobs",
            "worker_replication_secret",
            "redis");

    /** Synapse's older worker types, each now a generic worker with the right settings. */
    private static final Set<String> OLD_WORKER_APPS = Set.of(
            "synapse.app.client_reader",
            "synapse.app.synchrotron",
            "synapse.app.federation_reader",
            "synapse.app.event_creator",
            "synapse.app.frontend_proxy",
            "synapse.app.user_dir",
            "synapse.app.appservice");

    private static final Set<String> INSTANCE_KEYS = Set.of("host", "port", "tls", "path");
    private static final Set<String> REDIS_KEYS = Set.of("enabled", "host", "port", "password", "dbid");

    private WorkerSettings() {}

    static WorkerConfig read(ConfigNode root, Consumer<String> warnings) {
        ConfigNode app = root.get("worker_app");
        String role = app.string().orElse(WorkerConfig.MAIN_ROLE);
        boolean main = WorkerConfig.MAIN_ROLES.contains(role);
        if (!main && !WorkerConfig.WORKER_ROLES.contains(role)) {
            if (OLD_WORKER_APPS.contains(role)) {
                throw app.error("is " + role + ", an old worker type: use " + WorkerConfig.GENERIC_WORKER
                        + " and route its paths to it");
            }
            throw app.error("is not a known worker type: '" + role + "' (expected " + WorkerConfig.GENERIC_WORKER
                    + ", " + WorkerConfig.MEDIA_REPOSITORY + ", " + WorkerConfig.FEDERATION_SENDER + ", "
                    + WorkerConfig.PUSHER + ", or synapse.app.homeserver for the main process)");
        }
        ConfigNode nameNode = root.get("worker_name");
        Optional<String> workerName = nameNode.string().filter(s -> !s.isBlank());
        if (nameNode.isPresent() && workerName.isEmpty()) {
            throw nameNode.error("must not be empty");
        }
        if (!main) {
            // reported against the file that made this process a worker, where the name belongs too
            String name = workerName.orElseThrow(() -> new ConfigException(
                    app.file() + ": 'worker_name' is required for a worker (worker_app " + role + ")"));
            if (WorkerConfig.isMainName(name)) {
                throw nameNode.error("is '" + name + "', the name of the main process; give the worker its own name");
            }
        }
        String instanceName = workerName.orElse(WorkerConfig.MAIN_INSTANCE);

        Map<String, InstanceEndpoint> instances = instanceMap(root.get("instance_map"), warnings);

        ConfigNode writersNode = root.get("stream_writers");
        writersNode.requireObject();
        writersNode.unknownKeys(
                Set.copyOf(WorkerConfig.STREAMS),
                key -> warnings.accept(writersNode.file() + ": '" + key + "' is ignored: streams with writers are "
                        + String.join(", ", WorkerConfig.STREAMS)));
        Map<String, List<String>> writers = new LinkedHashMap<>();
        for (String stream : WorkerConfig.STREAMS) {
            ConfigNode node = writersNode.get(stream);
            List<String> names = names(node).orElse(List.of(WorkerConfig.MAIN_INSTANCE));
            if (names.size() > 1 && !stream.equals(WorkerConfig.EVENTS)) {
                throw node.error("names " + names.size() + " writers; only the events stream may have several"
                        + " writers here, " + stream + " must have one");
            }
            for (String writer : names) {
                if (!WorkerConfig.isMainName(writer) && !instances.containsKey(writer)) {
                    throw node.error("names '" + writer + "', which is not in instance_map: other processes" + " send "
                            + stream + " writes to it there");
                }
            }
            writers.put(stream, names);
        }

        ConfigNode secret = root.get("worker_replication_secret");
        return new WorkerConfig(
                role,
                instanceName,
                instances,
                writers,
                names(root.get("federation_sender_instances")).orElse(List.of(WorkerConfig.MAIN_INSTANCE)),
                names(root.get("pusher_instances")).orElse(List.of(WorkerConfig.MAIN_INSTANCE)),
                name(root.get("run_background_tasks_on")),
                name(root.get("media_instance_running_background_jobs")),
                secret.string().filter(s -> !s.isEmpty()),
                redis(root.get("redis"), warnings));
    }

    /**
     * Stops start-up when the processes could not work together: a worker's duties other processes
     * reach it for need it in {@code instance_map}, a worker needs the main process there, and
     * several processes need a database and a Redis they can share.
     *
     * @param files the names of the config files, for the message
     */
    static void check(WorkerConfig workers, Map<String, Object> database, String files) {
        if (!workers.isMain()) {
            String name = workers.instanceName();
            if (workers.role().equals(WorkerConfig.FEDERATION_SENDER) && !workers.sendsFederation()) {
                throw new ConfigException(files + ": worker '" + name + "' is a " + WorkerConfig.FEDERATION_SENDER
                        + " but not in federation_sender_instances; add it there (in the file every process reads)");
            }
            if (workers.role().equals(WorkerConfig.PUSHER) && !workers.sendsPushes()) {
                throw new ConfigException(files + ": worker '" + name + "' is a " + WorkerConfig.PUSHER
                        + " but not in pusher_instances; add it there (in the file every process reads)");
            }
            if (!workers.instanceMap().containsKey(WorkerConfig.MAIN_ALIAS)) {
                throw new ConfigException(files + ": worker '" + name + "' needs the main process in instance_map"
                        + " (as 'main', with the host and port of its replication listener): workers send it"
                        + " the writes they do not make themselves");
            }
            List<String> duties = new ArrayList<>();
            for (String stream : WorkerConfig.STREAMS) {
                if (workers.writes(stream)) {
                    duties.add("writes the " + stream + " stream");
                }
            }
            if (workers.sendsFederation()) {
                duties.add("sends federation");
            }
            if (!duties.isEmpty() && !workers.instanceMap().containsKey(name)) {
                throw new ConfigException(files + ": worker '" + name + "' " + String.join(", ", duties)
                        + " but is not in instance_map; the other processes reach it there, so add '" + name
                        + "' with the host and port (or path) of its replication listener");
            }
        }
        if (!workers.multiProcess()) {
            return;
        }
        String engine = engine(database);
        boolean postgres = engine.equals("postgresql");
        boolean redis = workers.redis().enabled();
        if (!postgres || !redis) {
            List<String> missing = new ArrayList<>();
            if (!postgres) {
                missing.add("this configuration uses " + engine + " (database.name: " + database.get("name")
                        + "); set database.name: psycopg2 with the PostgreSQL database every process shares");
            }
            if (!redis) {
                missing.add("redis.enabled is not true; set redis: {enabled: true, host: ..., port: ...} to the"
                        + " Redis server every process shares");
            }
            throw new ConfigException(files + ": workers need PostgreSQL and Redis: " + String.join("; and ", missing)
                    + ". This configuration runs several processes (" + why(workers)
                    + "); one process on SQLite needs none of worker_app, instance_map entries for other"
                    + " processes, or redis.");
        }
        if (workers.replicationSecret().filter(secret -> !secret.isBlank()).isEmpty()) {
            throw new ConfigException(files + ": workers need worker_replication_secret: the processes call each"
                    + " other's replication endpoints (to have a room's events created by its writer) and show it"
                    + " there; set the same long random string in every process's configuration");
        }
    }

    private static String why(WorkerConfig workers) {
        if (!workers.isMain()) {
            return "this one is worker '" + workers.instanceName() + "', " + workers.role();
        }
        if (workers.redis().enabled()) {
            return "redis.enabled is true";
        }
        return "instance_map names other processes";
    }

    /** {@code sqlite}, {@code postgresql}, or the unknown name (which opening the database reports). */
    private static String engine(Map<String, Object> database) {
        Object name = database.get("name");
        if ("jdbc".equals(name)
                && database.get("args") instanceof Map<?, ?> args
                && args.get("url") instanceof String url) {
            return url.startsWith("jdbc:postgresql:") ? "postgresql" : url.startsWith("jdbc:sqlite:") ? "sqlite" : url;
        }
        if ("psycopg2".equals(name) || "postgres".equals(name) || "postgresql".equals(name)) {
            return "postgresql";
        }
        if ("sqlite3".equals(name) || "sqlite".equals(name)) {
            return "sqlite";
        }
        return String.valueOf(name);
    }

    private static Map<String, InstanceEndpoint> instanceMap(ConfigNode node, Consumer<String> warnings) {
        node.requireObject();
        Map<String, InstanceEndpoint> instances = new LinkedHashMap<>();
        for (String name : node.asMap().keySet()) {
            ConfigNode entry = node.get(name);
            if (!entry.isPresent()) {
                throw entry.error("must be a mapping with host and port, or path");
            }
            entry.requireObject();
            entry.unknownKeys(INSTANCE_KEYS, key -> warnings.accept(entry.file() + ": '" + key + "' is ignored"));
            InstanceEndpoint endpoint;
            if (entry.get("path").isPresent()) {
                if (entry.get("host").isPresent() || entry.get("port").isPresent()) {
                    throw entry.error("must have either path (a UNIX socket) or host and port, not both");
                }
                endpoint = new InstanceEndpoint.UnixSocket(
                        entry.get("path").resolvedPath().orElseThrow());
            } else {
                String host = entry.get("host").requiredString();
                long port = entry.get("port").integer(-1, 1, 65535);
                if (port < 0) {
                    throw entry.get("port").error("is required");
                }
                boolean tls = entry.get("tls").bool(false);
                if (tls) {
                    throw entry.get("tls")
                            .error("is true, but internal requests are plain HTTP here; keep them on"
                                    + " a private network or a UNIX socket (path) and set tls: false");
                }
                endpoint = new InstanceEndpoint.Tcp(host, (int) port, false);
            }
            instances.put(name, endpoint);
        }
        InstanceEndpoint main = instances.get(WorkerConfig.MAIN_ALIAS);
        InstanceEndpoint master = instances.get(WorkerConfig.MAIN_INSTANCE);
        if (main != null && master != null && !main.equals(master)) {
            throw node.error("names the main process twice, as main and as master, at different addresses");
        }
        if (main != null || master != null) {
            InstanceEndpoint endpoint = main != null ? main : master;
            instances.put(WorkerConfig.MAIN_ALIAS, endpoint);
            instances.put(WorkerConfig.MAIN_INSTANCE, endpoint);
        }
        return instances;
    }

    /** A name or a list of names, {@code main} and {@code master} as the main process's name. */
    private static Optional<List<String>> names(ConfigNode node) {
        if (!node.isPresent()) {
            return Optional.empty();
        }
        List<String> raw = node.isArray() ? node.stringList() : List.of(node.requiredString());
        if (raw.isEmpty()) {
            throw node.error("must name at least one instance");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : raw) {
            if (!names.add(WorkerConfig.isMainName(name) ? WorkerConfig.MAIN_INSTANCE : name)) {
                throw node.error("names '" + name + "' twice");
            }
        }
        return Optional.of(List.copyOf(names));
    }

    private static String name(ConfigNode node) {
        String name = node.string().filter(s -> !s.isBlank()).orElse(WorkerConfig.MAIN_INSTANCE);
        return WorkerConfig.isMainName(name) ? WorkerConfig.MAIN_INSTANCE : name;
    }

    private static RedisConfig redis(ConfigNode node, Consumer<String> warnings) {
        node.requireObject();
        node.unknownKeys(REDIS_KEYS, key -> warnings.accept(node.file() + ": '" + key + "' is ignored"));
        RedisConfig defaults = RedisConfig.DISABLED;
        return new RedisConfig(
                node.get("enabled").bool(false),
                node.get("host").string().filter(s -> !s.isBlank()).orElse(defaults.host()),
                (int) node.get("port").integer(defaults.port(), 1, 65535),
                node.get("password").string().filter(s -> !s.isEmpty()),
                (int) node.get("dbid").integer(0, 0, Integer.MAX_VALUE));
    }
}
