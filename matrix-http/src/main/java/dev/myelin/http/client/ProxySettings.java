package dev.myelin.http.client;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP proxy configuration in the style of the {@code http_proxy}, {@code https_proxy} and
 * {@code no_proxy} environment variables.
 *
 * @param httpProxy proxy for {@code http://} URLs
 * @param httpsProxy proxy for {@code https://} URLs (tunnelled with {@code CONNECT})
 * @param noProxy hosts that bypass the proxy: exact names or IPs, {@code .example.com} or
 *     {@code example.com} for a domain and its subdomains, {@code *} for everything
 */
public record ProxySettings(Optional<URI> httpProxy, Optional<URI> httpsProxy, List<String> noProxy) {

    /** Requires both proxies (possibly empty) and copies the exclusions. */
    public ProxySettings {
        Objects.requireNonNull(httpProxy, "httpProxy");
        Objects.requireNonNull(httpsProxy, "httpsProxy");
        noProxy = List.copyOf(noProxy);
    }

    /** No proxy. */
    public static ProxySettings none() {
        return new ProxySettings(Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * Reads {@code http_proxy}, {@code https_proxy} and {@code no_proxy} (lower case first, then
     * upper case) from {@code env}, e.g. {@code System.getenv()}. A proxy without a scheme is
     * taken as {@code http://}.
     */
    public static ProxySettings fromEnvironment(Map<String, String> env) {
        return new ProxySettings(
                lookup(env, "http_proxy").map(ProxySettings::proxyUri),
                lookup(env, "https_proxy").map(ProxySettings::proxyUri),
                lookup(env, "no_proxy")
                        .map(v -> Arrays.stream(v.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList())
                        .orElse(List.of()));
    }

    private static Optional<String> lookup(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            value = env.get(name.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static URI proxyUri(String value) {
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy has no host: " + value);
        }
        return uri;
    }

    /** Whether a request to {@code host} bypasses the proxy. */
    public boolean bypasses(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            String e = entry.toLowerCase(Locale.ROOT);
            int colon = e.lastIndexOf(':');
            if (colon > 0 && !e.contains("]") && e.indexOf(':') == colon) {
                e = e.substring(0, colon);
            }
            if (e.equals("*")) {
                return true;
            }
            String domain = e.startsWith(".") ? e.substring(1) : e;
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }
}
