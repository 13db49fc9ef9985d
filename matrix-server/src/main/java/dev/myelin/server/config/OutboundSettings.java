package dev.myelin.server.config;

import dev.myelin.http.client.InstanceAddress;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.client.TrustedCertificates;
import java.util.List;
import java.util.Map;

/**
 * How the server's outbound HTTP requests other than URL previews (push gateways, and later
 * federation, identity servers, application services) may reach other machines, read with
 * Synapse's key names.
 *
 * @param blockedRanges {@code ip_range_blacklist} (or {@code ip_range_blocklist}): CIDR ranges
 *     outbound requests may not reach; the standard private and reserved ranges by default
 * @param allowedRanges {@code ip_range_whitelist} (or {@code ip_range_allowlist}): exceptions to
 *     the blocked ranges
 * @param trust {@code federation_custom_ca_list}: the CAs, read from PEM files, trusted for outbound
 *     TLS besides the system's. Synapse uses them for federation only; here every outbound client
 *     trusts them (push gateways, URL previews), since an operator who runs a private CA runs
 *     their other services behind it too, and this server has no switch to turn verification off
 *     ({@code use_insecure_ssl_client_just_for_testing_do_not_use} is ignored)
 * @param instances this homeserver's processes by name, from {@code instance_map} (the main
 *     process under both {@code main} and {@code master}), which {@code replication://<instance>/}
 *     requests reach; empty for a single process
 */
public record OutboundSettings(
        List<String> blockedRanges,
        List<String> allowedRanges,
        TrustedCertificates trust,
        Map<String, InstanceAddress> instances) {
    public OutboundSettings {
        blockedRanges = List.copyOf(blockedRanges);
        allowedRanges = List.copyOf(allowedRanges);
        instances = Map.copyOf(instances);
    }

    /** Settings of a single process, which has no other instances to reach. */
    public OutboundSettings(List<String> blockedRanges, List<String> allowedRanges, TrustedCertificates trust) {
        this(blockedRanges, allowedRanges, trust, Map.of());
    }

    /**
     * The outbound HTTP client settings these make: {@link OutboundConfig#defaults()} with the
     * blocked and allowed ranges, the trusted CAs and the instances for {@code replication://}
     * requests.
     */
    public OutboundConfig clientConfig() {
        return OutboundConfig.defaults()
                .withBlocklist(IpBlocklist.of(blockedRanges, allowedRanges))
                .withTrust(trust)
                .withInstances(instances);
    }
}
