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
    /**
     * The resource names a listener may list, Synapse's among them. Every listener serves every
     * API this server has (but {@code metrics}, served only where listed; see {@link #metricsOnly()}),
     * so a name only has to be known: {@code openid} (the OpenID userinfo
     * endpoint, {@code /_matrix/federation/v1/openid/userinfo}) is served whatever is listed.
     */
    public static final Set<String> KNOWN_RESOURCES =
            Set.of("client", "federation", "keys", "media", "openid", "health", "metrics", "replication", "static");

    public ListenerConfig {
        bindAddresses = List.copyOf(bindAddresses);
        resources = Set.copyOf(resources);
    }

    public boolean serves(String resource) {
        return resources.contains(resource);
    }

    /**
     * Whether this listener serves the metrics alone ({@code type: metrics}, or {@code metrics} its
     * only resource): the Matrix APIs are then not served on it.
     */
    public boolean metricsOnly() {
        return resources.equals(Set.of("metrics"));
    }
}
