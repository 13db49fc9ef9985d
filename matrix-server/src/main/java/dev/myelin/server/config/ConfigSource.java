package dev.myelin.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One configuration file's text, for {@link ConfigLoader#parse(java.util.List)}: a process may be
 * started with several ({@code --config homeserver.yaml --config worker1.yaml}), read in order.
 *
 * @param name the file's name, used in every error and warning about a key it holds
 * @param yaml the file's text
 * @param dir the directory relative paths in this file are resolved against (the file's own)
 */
public record ConfigSource(String name, String yaml, Path dir) {
    /** Requires every part. */
    public ConfigSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(dir, "dir");
    }

    /** The name and directory only: the text may hold secrets. */
    @Override
    public String toString() {
        return "ConfigSource[name=" + name + ", dir=" + dir + "]";
    }
}
