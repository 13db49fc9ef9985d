package dev.myelin.server.cli;

import dev.myelin.server.Homeserver;

/**
 * What happens once {@code run} has started a homeserver. In the real process the stop action
 * becomes a JVM shutdown hook, so SIGTERM (or Ctrl-C) closes the server gracefully; tests keep
 * the server and the stop action to drive it themselves.
 */
@FunctionalInterface
public interface ServerLifecycle {

    /**
     * Called once the server listens.
     *
     * @param server the running homeserver
     * @param stop closes it (finishing in-flight requests, then the database); safe to call twice
     */
    void started(Homeserver server, Runnable stop);

    /** Stops the server when the JVM shuts down (SIGTERM, SIGINT, {@code System.exit}). */
    static ServerLifecycle shutdownHook() {
        return (server, stop) -> Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("myelin-shutdown").unstarted(stop));
    }
}
