package dev.myelin.server.config;

/**
 * A configuration file that cannot be used. The message names the file and the key, so an admin
 * can fix it without reading code.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
