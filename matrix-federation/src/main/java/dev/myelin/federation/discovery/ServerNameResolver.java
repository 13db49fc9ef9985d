package dev.myelin.federation.discovery;

import dev.myelin.core.id.ServerName;

/**
 * Turns a server name into the {@link ResolvedDestination} federation requests to it use.
 *
 * <p>{@link ServerDiscovery} is the spec's algorithm. Tests that connect homeservers in one JVM,
 * or deployments with a fixed routing table, can implement this interface directly (a lambda
 * from server name to destination).
 *
 * <p>Implementations block the calling (virtual) thread and are thread-safe.
 */
@FunctionalInterface
public interface ServerNameResolver {

    /**
     * Resolves a server name.
     *
     * @param serverName the server to reach
     * @return where and how to reach it
     * @throws ServerDiscoveryException if the server cannot be reached by any step (e.g. its SRV
     *     record says the service is not available there, or a DNS lookup failed)
     */
    ResolvedDestination resolve(ServerName serverName);
}
