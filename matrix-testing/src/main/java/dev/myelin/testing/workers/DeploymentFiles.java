package dev.myelin.testing.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.myelin.storage.DatabaseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a {@link WorkerDeployment} starts its processes with: a signing key made by the jar's
 * own {@code generate-config}, the configuration every process shares, and each process's own.
 * They are written as JSON, which is YAML: flow mappings the config loader reads like any other.
 */
final class DeploymentFiles {
    private static final String GENERIC_WORKER = "synapse.app.generic_worker";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SIGNING_KEY_PATH = Pattern.compile("(?m)^signing_key_path:\\s*\"?([^\"\\n]+)\"?\\s*$");

    private final Path dir;
    private final Path jar;
    private final String serverName;
    private final DatabaseConfig database;
    private final Map<String, WorkerRole> roles;
    private final Map<String, Integer> portOf;

    /**
     * @param roles every process's role, the main process first
     * @param portOf every process's port
     */
    DeploymentFiles(
            Path dir,
            Path jar,
            String serverName,
            DatabaseConfig database,
            Map<String, WorkerRole> roles,
            Map<String, Integer> portOf) {
        this.dir = dir;
        this.jar = jar;
        this.serverName = serverName;
        this.database = database;
        this.roles = Map.copyOf(roles);
        this.portOf = new LinkedHashMap<>(portOf);
    }

    /** Has the jar write a throw-away config with a new signing key, and returns the key's path. */
    Path generateSigningKey(Duration timeout) throws IOException, InterruptedException {
        Path generated = dir.resolve("generated");
        Path log = dir.resolve("generate-config.log");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "generate-config",
                        "--server-name",
                        serverName,
                        "--config-path",
                        generated.resolve("homeserver.yaml").toString(),
                        "--data-dir",
                        generated.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("generate-config did not finish within " + timeout.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(
                    "generate-config failed with status " + p.exitValue() + ":\n" + WorkerProcess.tail(log, 30));
        }
        Matcher m = SIGNING_KEY_PATH.matcher(
                Files.readString(generated.resolve("homeserver.yaml"), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IOException("generate-config wrote no signing_key_path");
        }
        return Path.of(m.group(1).trim());
    }

    /**
     * Writes the configuration every process reads: the server, the database, the signing key,
     * Redis, {@code instance_map} with every process, the persisters as {@code stream_writers.events},
     * a new replication secret, open registration, rate limits lifted and cheap password hashing;
     * then {@code extra}'s keys over those.
     */
    void writeShared(Path file, String proxyUrl, Path signingKey, RedisProcess redis, Map<String, Object> extra)
            throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("server_name", serverName);
        config.put("public_baseurl", proxyUrl + "/");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("url", database.jdbcUrl());
        database.user().ifPresent(u -> args.put("user", u));
        database.password().ifPresent(p -> args.put("password", p));
        args.put("cp_min", 1);
        args.put("cp_max", Math.max(database.maxPoolSize(), 10));
        config.put("database", Map.of("name", "jdbc", "args", args));
        config.put("signing_key_path", signingKey.toString());
        config.put("media_store_path", dir.resolve("media_store").toString());
        config.put("enable_registration", true);
        config.put("enable_registration_without_verification", true);
        config.put("registration_shared_secret", randomHex());
        // what a test measures is the server, not BCrypt or the rate limiter
        config.put("bcrypt_rounds", 4);
        liftRateLimits(config);
        config.put("trusted_key_servers", List.of());
        config.put("redis", Map.of("enabled", true, "host", redis.host(), "port", redis.port()));
        config.put("worker_replication_secret", randomHex());
        Map<String, Object> instanceMap = new LinkedHashMap<>();
        portOf.forEach((name, port) -> instanceMap.put(name, Map.of("host", "127.0.0.1", "port", port)));
        config.put("instance_map", instanceMap);
        List<String> persisters = portOf.keySet().stream()
                .filter(name -> roles.get(name) == WorkerRole.EVENT_PERSISTER)
                .toList();
        if (!persisters.isEmpty()) {
            config.put("stream_writers", Map.of("events", persisters));
        }
        config.putAll(extra);
        write(file, config);
    }

    /**
     * Writes one process's own configuration: the main process's {@code listeners}, or a worker's
     * {@code worker_app}, {@code worker_name} and {@code worker_listeners}; one loopback listener
     * serving the client, federation and replication resources.
     */
    void writeOwn(Path file, String name) throws IOException {
        Map<String, Object> listener = new LinkedHashMap<>();
        listener.put("port", portOf.get(name));
        listener.put("bind_addresses", List.of("127.0.0.1"));
        listener.put("type", "http");
        listener.put("resources", List.of(Map.of("names", List.of("client", "federation", "replication"))));
        Map<String, Object> config = new LinkedHashMap<>();
        if (roles.get(name) == WorkerRole.MAIN) {
            config.put("listeners", List.of(listener));
        } else {
            config.put("worker_app", GENERIC_WORKER);
            config.put("worker_name", name);
            config.put("worker_listeners", List.of(listener));
        }
        write(file, config);
    }

    private static void liftRateLimits(Map<String, Object> config) {
        Map<String, Object> open = Map.of("per_second", 100000, "burst_count", 1000000);
        for (String key : List.of(
                "rc_message",
                "rc_registration",
                "rc_room_creation",
                "rc_media_create",
                "rc_reports",
                "rc_key_requests",
                "rc_to_device",
                "rc_typing")) {
            config.put(key, open);
        }
        config.put("rc_login", Map.of("address", open, "account", open, "failed_attempts", open));
        config.put("rc_joins", Map.of("local", open, "remote", open));
        config.put("rc_invites", Map.of("per_room", open, "per_user", open, "per_issuer", open));
        config.put("rc_presence", Map.of("per_user", open));
    }

    private static void write(Path file, Map<String, Object> config) throws IOException {
        try {
            Files.writeString(file, JSON.writeValueAsString(config) + "\n", StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
