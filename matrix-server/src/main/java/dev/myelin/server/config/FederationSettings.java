package dev.myelin.server.config;

import dev.myelin.core.push.Glob;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.discovery.StaticFederationDns;
import dev.myelin.federation.ratelimit.FederationRateLimitConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whom this server federates with and how it checks them, with Synapse's keys.
 *
 * @param verifyCertificates {@code federation_verify_certificates} (default true): whether other
 *     servers' TLS certificates are checked at all
 * @param certificateVerificationWhitelist {@code federation_certificate_verification_whitelist}:
 *     host names (with {@code *} for any run of characters) whose certificates are not checked
 * @param domainWhitelist {@code federation_domain_whitelist}: when set, the only servers federated with
 * @param staticDns {@code federation_static_dns}: fixed host and SRV records to look other servers
 *     up in instead of DNS (test networks, private federations)
 * @param rateLimit {@code rc_federation}: how hard one server may press on this one
 * @param allowPublicRoomsOverFederation {@code allow_public_rooms_over_federation} (default false):
 *     whether other servers may list this server's published room directory
 */
public record FederationSettings(
        boolean verifyCertificates,
        List<String> certificateVerificationWhitelist,
        FederationDomainWhitelist domainWhitelist,
        Optional<StaticFederationDns> staticDns,
        FederationRateLimitConfig rateLimit,
        boolean allowPublicRoomsOverFederation) {

    public FederationSettings {
        certificateVerificationWhitelist = List.copyOf(certificateVerificationWhitelist);
    }

    /** These settings with the published room directory closed to other servers (the default). */
    public FederationSettings(
            boolean verifyCertificates,
            List<String> certificateVerificationWhitelist,
            FederationDomainWhitelist domainWhitelist,
            Optional<StaticFederationDns> staticDns,
            FederationRateLimitConfig rateLimit) {
        this(verifyCertificates, certificateVerificationWhitelist, domainWhitelist, staticDns, rateLimit, false);
    }

    /** Synapse's defaults: every certificate checked, every server federated with, real DNS. */
    public static FederationSettings defaults() {
        return new FederationSettings(
                true,
                List.of(),
                FederationDomainWhitelist.everyone(),
                Optional.empty(),
                FederationRateLimitConfig.DEFAULTS);
    }

    /** Whether the certificate of {@code host} (a host name, or an IP literal with or without brackets) is checked. */
    public boolean verifiesCertificateOf(String host) {
        if (!verifyCertificates) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            // a URI's host keeps an IPv6 literal's brackets; the name on the certificate has none
            name = name.substring(1, name.length() - 1);
        }
        for (String pattern : certificateVerificationWhitelist) {
            if (Glob.compile(pattern).matchesWhole(name)) {
                return false;
            }
        }
        return true;
    }
}
