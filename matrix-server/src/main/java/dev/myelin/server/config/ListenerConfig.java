package dev.myelin.server.config;

import java.util.List;
import java.util.Set;

/**
 * One HTTP listener, as in Synapse's {@code listeners:} list.
 *
 * @param port the TCP port (0 picks a free one, useful in tests)
 * @param bindAddresses addresses to bind, e.g. {@code ["127.0.0.1", "::1"]}
 * @param tls whether the listener serves HTTPS
 * @param xForwarded whether {@code X-Forwarded-For} from a reverse proxy is trusted
 * @param resources which APIs the listener serves ({@code client}, {@code federation}, ...)
 */
public record ListenerConfig(
        int port, List<String> bindAddresses, boolean tls, boolean xForwarded, Set<String> resources) {
    public static final Set<String> KNOWN_RESOURCES =
            Set.of("client", "federation", "keys", "media", "health", "metrics", "replication", "static");

    public ListenerConfig {
        bindAddresses = List.copyOf(bindAddresses);
        resources = Set.copyOf(resources);
    }

    public boolean serves(String resource) {
        return resources.contains(resource);
    }
}
