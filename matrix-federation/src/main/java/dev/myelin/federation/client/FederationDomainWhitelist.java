package dev.myelin.federation.client;

import dev.myelin.core.id.ServerName;
import java.util.Optional;
import java.util.Set;

/**
 * Synapse's {@code federation_domain_whitelist}: when set, the only servers this one federates
 * with. Requests to other servers are not sent ({@link FederationDeniedException}) and their
 * requests are refused with 403 {@code M_FORBIDDEN} before their keys are fetched. An empty list
 * closes federation altogether; {@link #everyone()} (the setting absent) federates with all.
 *
 * @param servers the servers allowed, or empty for every server
 */
public record FederationDomainWhitelist(Optional<Set<ServerName>> servers) {
    /** Copies the set. */
    public FederationDomainWhitelist {
        servers = servers.map(Set::copyOf);
    }

    /** No restriction. */
    public static FederationDomainWhitelist everyone() {
        return new FederationDomainWhitelist(Optional.empty());
    }

    /** Only {@code servers}. */
    public static FederationDomainWhitelist only(Set<ServerName> servers) {
        return new FederationDomainWhitelist(Optional.of(servers));
    }

    /** Whether this server federates with {@code server}. */
    public boolean allows(ServerName server) {
        return servers.map(s -> s.contains(server)).orElse(true);
    }

    /** Throws {@link FederationDeniedException} unless {@code server} is allowed. */
    public void check(ServerName server) {
        if (!allows(server)) {
            throw new FederationDeniedException(server);
        }
    }
}
