package dev.myelin.server.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the import reads from Synapse's {@code homeserver.yaml}; relative paths are resolved against the
 * folder of that file.
 *
 * @param serverName {@code server_name}
 * @param database the {@code database} section, with a relative SQLite path made absolute
 * @param mediaStore {@code media_store_path}
 * @param signingKey {@code signing_key_path}
 */
public record SynapseConfig(String serverName, Map<String, Object> database, Path mediaStore, Path signingKey) {

    /** Reads {@code file}; a missing key or unreadable file is an {@link ImportException} (exit code 3). */
    @SuppressWarnings("unchecked")
    public static SynapseConfig read(Path file) {
        Map<String, Object> root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Map.class);
        } catch (IOException | RuntimeException e) {
            throw new ImportException("cannot read the Synapse config " + file + ": " + e.getMessage(), 3);
        }
        if (root == null) {
            throw new ImportException("the Synapse config " + file + " is empty", 3);
        }
        Path dir = file.toAbsolutePath().getParent();
        String serverName = string(root, "server_name", file);
        Map<String, Object> database = new LinkedHashMap<>();
        if (root.get("database") instanceof Map<?, ?> section) {
            section.forEach((k, v) -> database.put(String.valueOf(k), v));
        } else {
            // Synapse's own default when the section is missing
            database.put("name", "sqlite3");
            database.put("args", Map.of("database", "homeserver.db"));
        }
        if (database.get("args") instanceof Map<?, ?> args
                && ("sqlite3".equals(database.get("name")) || "sqlite".equals(database.get("name")))) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<Object, Object>) args).forEach((k, v) -> copy.put(String.valueOf(k), v));
            if (copy.get("database") instanceof String db) {
                copy.put("database", dir.resolve(db).normalize().toString());
            }
            database.put("args", copy);
        }
        Path media =
                dir.resolve(optional(root, "media_store_path", "media_store")).normalize();
        Path key = dir.resolve(optional(root, "signing_key_path", serverName + ".signing.key"))
                .normalize();
        return new SynapseConfig(serverName, database, media, key);
    }

    private static String string(Map<String, Object> root, String key, Path file) {
        if (!(root.get(key) instanceof String value) || value.isBlank()) {
            throw new ImportException("the Synapse config " + file + " has no " + key, 3);
        }
        return value;
    }

    private static String optional(Map<String, Object> root, String key, String fallback) {
        return root.get(key) instanceof String value && !value.isBlank() ? value : fallback;
    }
}
