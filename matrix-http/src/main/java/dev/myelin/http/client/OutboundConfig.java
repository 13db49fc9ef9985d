package dev.myelin.http.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link MatrixHttpClient}.
 *
 * @param connectTimeout how long to wait for a TCP (and proxy) connection
 * @param requestTimeout total time for one request, redirects included
 * @param idleTimeout how long an idle pooled connection is kept
 * @param maxRequestBytes largest request body sent
 * @param maxResponseBytes largest response body accepted; larger ones fail
 * @param followRedirects whether 3xx responses are followed (each hop is checked against the blocklist)
 * @param maxRedirects how many redirects are followed
 * @param blocklist destinations refused after DNS resolution
 * @param proxy proxy settings
 * @param userAgent the {@code User-Agent} header
 * @param instances this homeserver's processes by instance name, for {@code replication://} URIs
 * @param trust the CAs trusted for TLS besides the system's
 */
public record OutboundConfig(
        Duration connectTimeout,
        Duration requestTimeout,
        Duration idleTimeout,
        long maxRequestBytes,
        int maxResponseBytes,
        boolean followRedirects,
        int maxRedirects,
        IpBlocklist blocklist,
        ProxySettings proxy,
        String userAgent,
        Map<String, InstanceAddress> instances,
        TrustedCertificates trust) {

    /** Requires every part and copies the instance map. */
    public OutboundConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(blocklist, "blocklist");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(trust, "trust");
        instances = Map.copyOf(instances);
        if (maxRequestBytes < 0 || maxResponseBytes < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /** Settings trusting the system CAs only. */
    public OutboundConfig(
            Duration connectTimeout,
            Duration requestTimeout,
            Duration idleTimeout,
            long maxRequestBytes,
            int maxResponseBytes,
            boolean followRedirects,
            int maxRedirects,
            IpBlocklist blocklist,
            ProxySettings proxy,
            String userAgent,
            Map<String, InstanceAddress> instances) {
        this(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                TrustedCertificates.system());
    }

    /** Settings without {@code replication://} instances. */
    public OutboundConfig(
            Duration connectTimeout,
            Duration requestTimeout,
            Duration idleTimeout,
            long maxRequestBytes,
            int maxResponseBytes,
            boolean followRedirects,
            int maxRedirects,
            IpBlocklist blocklist,
            ProxySettings proxy,
            String userAgent) {
        this(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                Map.of());
    }

    /**
     * 10 s to connect, 60 s per request, 50 MiB bodies, up to 5 redirects, the default
     * blocklist, no proxy.
     */
    public static OutboundConfig defaults() {
        return new OutboundConfig(
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                50L * 1024 * 1024,
                50 * 1024 * 1024,
                true,
                5,
                IpBlocklist.defaults(),
                ProxySettings.none(),
                "Myelin",
                Map.of());
    }

    /**
     * This configuration with another IP blocklist.
     *
     * @param blocklist the ranges to refuse
     * @return the changed copy
     */
    public OutboundConfig withBlocklist(IpBlocklist blocklist) {
        return new OutboundConfig(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                trust);
    }

    /**
     * This configuration with other proxy settings.
     *
     * @param proxy the proxies to use
     * @return the changed copy
     */
    public OutboundConfig withProxy(ProxySettings proxy) {
        return new OutboundConfig(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                trust);
    }

    /**
     * This configuration with another response size limit.
     *
     * @param maxResponseBytes the largest body read
     * @return the changed copy
     */
    public OutboundConfig withMaxResponseBytes(int maxResponseBytes) {
        return new OutboundConfig(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                trust);
    }

    /**
     * This configuration with other timeouts.
     *
     * @param connect for establishing a connection
     * @param request for the whole exchange
     * @return the changed copy
     */
    public OutboundConfig withTimeouts(Duration connect, Duration request) {
        return new OutboundConfig(
                connect,
                request,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                trust);
    }

    /** The named processes {@code replication://<instance>/...} requests go to. */
    public OutboundConfig withInstances(Map<String, InstanceAddress> instances) {
        return new OutboundConfig(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                trust);
    }

    /**
     * This configuration trusting {@code trust}'s CAs besides the system's.
     *
     * @param trust the extra CAs
     * @return the changed copy
     */
    public OutboundConfig withTrust(TrustedCertificates trust) {
        return new OutboundConfig(
                connectTimeout,
                requestTimeout,
                idleTimeout,
                maxRequestBytes,
                maxResponseBytes,
                followRedirects,
                maxRedirects,
                blocklist,
                proxy,
                userAgent,
                instances,
                trust);
    }
}
