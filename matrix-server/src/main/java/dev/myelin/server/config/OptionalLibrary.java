package dev.myelin.server.config;

/**
 * A library that matrix-server declares {@code optional}: the runnable jar carries it, but a project
 * that embeds the server (or tests with matrix-testing) gets it only by adding the artifact itself,
 * and needs it only for one feature. Checked when that feature is configured, so a missing jar is a
 * configuration error that names the artifact instead of a {@code NoClassDefFoundError} later.
 *
 * @param probeClass a class of the library, looked up without initializing it
 * @param artifact the Maven coordinates to add
 * @param feature what needs it, as the error message names it
 */
public record OptionalLibrary(String probeClass, String artifact, String feature) {
    /** URL previews parse HTML with jsoup. */
    public static final OptionalLibrary JSOUP =
            new OptionalLibrary("org.jsoup.Jsoup", "org.jsoup:jsoup", "URL previews (url_preview_enabled)");

    /** Several processes sharing one database replicate over Redis. */
    public static final OptionalLibrary REPLICATION = new OptionalLibrary(
            "redis.clients.jedis.Jedis", "dev.myelin:matrix-replication", "worker processes (instance_map, redis)");

    /** Whether the library is on the class path. */
    public boolean present() {
        try {
            Class.forName(probeClass, false, OptionalLibrary.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Fails with a message naming the artifact to add when the library is missing.
     *
     * @throws ConfigException when it is missing
     */
    public void require() {
        if (!present()) {
            throw new ConfigException(feature + " need " + artifact + " on the class path: it is an optional"
                    + " dependency of dev.myelin:matrix-server, so add it to your project's dependencies");
        }
    }
}
