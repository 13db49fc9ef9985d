package dev.myelin.http.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The outbound HTTP client for talking to other servers (federation, identity servers, URL
 * previews, push gateways), over Jetty's {@code HttpClient}.
 *
 * <p>Every connection's destination is resolved through a {@link HostResolver} and checked
 * against an {@link IpBlocklist} at resolution time, so literal IP URLs, names resolving to
 * private addresses, and redirects to either are all refused with
 * {@link BlockedDestinationException} before any connection is made. When a proxy is
 * configured, requests to host names go through it and are not resolved locally (the proxy is
 * then the place to enforce the policy); literal IP destinations are still checked here.
 *
 * <p>Whatever blocklist is configured, addresses that reach this machine itself (unspecified,
 * loopback, and the machine's own interface addresses) are refused unless the allowed ranges
 * name them on purpose; see {@link IpBlocklist}. Every sender built on this client (URL previews,
 * federation, push, application services) gets that rule without configuring it.
 *
 * <p>{@code replication://<instance>/<path>} URIs reach this homeserver's own processes, named
 * in {@link OutboundConfig#instances()}, over TCP or a UNIX domain socket. Only these configured
 * destinations skip the blocklist and proxies; they are never redirected. An instance name not
 * in the map is refused with {@link IllegalArgumentException}.
 *
 * <p>TLS certificates are verified, host names included, against the system CAs and any
 * {@linkplain OutboundConfig#trust() extra CAs} configured; there is no way to turn verification
 * off.
 *
 * <p>Calls block; use them from virtual threads. The underlying Jetty client, its threads and
 * connections are created lazily on the first request. Thread-safe.
 */
public final class MatrixHttpClient implements HttpTransport, AutoCloseable {

    private static final String REPLICATION = "replication";

    private final OutboundConfig config;
    private final HostResolver resolver;
    private final LocalAddresses localAddresses;
    private final Map<String, Internal> instances;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile HttpClient jetty;
    private boolean closed;

    private MatrixHttpClient(OutboundConfig config, HostResolver resolver, LocalAddresses localAddresses) {
        this.config = Objects.requireNonNull(config, "config");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.localAddresses = Objects.requireNonNull(localAddresses, "localAddresses");
        Map<String, Internal> byName = new LinkedHashMap<>();
        config.instances().forEach((name, address) -> byName.put(name, Internal.of(name, address)));
        this.instances = Map.copyOf(byName);
    }

    /** Marks requests to configured instances: the blocklist listener and proxies skip them. */
    private record InternalTag(String instance) {}

    /** A configured instance: how to connect to it and the authority to put in its URIs. */
    private record Internal(InternalTag tag, Transport transport, String authority) {
        static Internal of(String name, InstanceAddress address) {
            return switch (address) {
                case InstanceAddress.Tcp tcp ->
                    new Internal(
                            new InternalTag(name),
                            new Transport.Wrapper(Transport.TCP_IP) {
                                // A fixed address: Jetty then skips the SocketAddressResolver, and with it
                                // the blocklist, for this transport only.
                                @Override
                                public boolean requiresDomainNameResolution() {
                                    return false;
                                }

                                @Override
                                public SocketAddress getSocketAddress() {
                                    return new InetSocketAddress(tcp.host(), tcp.port());
                                }
                            },
                            (tcp.host().contains(":") ? "[" + tcp.host() + "]" : tcp.host()) + ":" + tcp.port());
                case InstanceAddress.UnixSocket unix ->
                    new Internal(new InternalTag(name), new Transport.TCPUnix(unix.socket()), "localhost");
            };
        }
    }

    /** A client using the system DNS resolver. */
    public static MatrixHttpClient create(OutboundConfig config) {
        return new MatrixHttpClient(config, HostResolver.system(), LocalAddresses.system());
    }

    /** A client resolving names through {@code resolver} (e.g. a fake in tests). */
    public static MatrixHttpClient create(OutboundConfig config, HostResolver resolver) {
        return new MatrixHttpClient(config, resolver, LocalAddresses.system());
    }

    /** A client that takes {@code localAddresses} as this machine's interface addresses (tests). */
    static MatrixHttpClient create(OutboundConfig config, HostResolver resolver, LocalAddresses localAddresses) {
        return new MatrixHttpClient(config, resolver, localAddresses);
    }

    /**
     * Sends a request and buffers the response.
     *
     * @throws BlockedDestinationException if the destination (or a redirect target) is blocked
     * @throws OutboundHttpException on connection failure, timeout, or a body over the limit
     */
    @Override
    public OutboundResponse send(OutboundRequest request) {
        return send(request, Optional.empty());
    }

    /**
     * Sends a request to a host other than the URI's: the connection goes to {@code connectHost}
     * (resolved and checked against the blocklist like any host) on the URI's port, while TLS
     * (SNI and the certificate check) and the pooling of connections go by the URI's host. This
     * is what federation needs for an SRV target or a delegated server: connect to the target,
     * check the certificate for the server name. Set the {@code Host} header in the request when it
     * must differ from the URI's authority. Without a proxy only; through a proxy the URI's host is
     * what the proxy is asked for.
     *
     * @param connectHost a DNS name or an IP literal (IPv6 without brackets)
     * @see #send(OutboundRequest)
     */
    public OutboundResponse send(OutboundRequest request, String connectHost) {
        Objects.requireNonNull(connectHost, "connectHost");
        return send(request, Optional.of(new ConnectVia(connectHost)), config.maxResponseBytes());
    }

    /**
     * Like {@link #send(OutboundRequest, String)}, with a body limit of {@code maxResponseBytes}
     * instead of the configured one: reading stops and the request is aborted as soon as more
     * arrives, with {@link ResponseTooLargeException}. For answers whose size another setting
     * bounds, such as remote media and {@code max_upload_size}.
     */
    public OutboundResponse send(OutboundRequest request, String connectHost, int maxResponseBytes) {
        Objects.requireNonNull(connectHost, "connectHost");
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("negative limit " + maxResponseBytes);
        }
        return send(request, Optional.of(new ConnectVia(connectHost)), maxResponseBytes);
    }

    private OutboundResponse send(OutboundRequest request, Optional<ConnectVia> via) {
        return send(request, via, config.maxResponseBytes());
    }

    private OutboundResponse send(OutboundRequest request, Optional<ConnectVia> via, int maxResponseBytes) {
        String scheme =
                Optional.ofNullable(request.uri().getScheme()).orElse("").toLowerCase(Locale.ROOT);
        URI target = request.uri();
        Internal internal = null;
        if (scheme.equals(REPLICATION)) {
            internal = instance(request.uri());
            String path = request.uri().getRawPath() == null
                            || request.uri().getRawPath().isEmpty()
                    ? "/"
                    : request.uri().getRawPath();
            String query = request.uri().getRawQuery() == null
                    ? ""
                    : "?" + request.uri().getRawQuery();
            target = URI.create("http://" + internal.authority() + path + query);
        } else if (!scheme.equals("http") && !scheme.equals("https")
                || request.uri().getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) or replication URI: " + request.uri());
        }
        if (request.body().isPresent() && request.body().get().bytes().length > config.maxRequestBytes()) {
            throw new OutboundHttpException(
                    "request body exceeds the limit of " + config.maxRequestBytes() + " bytes", null);
        }
        Request jettyRequest = client().newRequest(target)
                .method(request.method())
                .timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (internal != null) {
            jettyRequest.transport(internal.transport()).tag(internal.tag()).followRedirects(false);
        } else if (via.isPresent()) {
            // the tag is part of the connection pool's key, so pooled connections stay per target
            jettyRequest.tag(via.get()).followRedirects(false);
        }
        jettyRequest.headers(h -> request.headers().forEach((name, values) -> values.forEach(v -> h.add(name, v))));
        request.body().ifPresent(b -> jettyRequest.body(new BytesRequestContent(b.contentType(), b.bytes())));
        try {
            ContentResponse response = new CompletableResponseListener(jettyRequest, maxResponseBytes)
                    .send()
                    .get();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpField field : response.getHeaders()) {
                headers.computeIfAbsent(field.getLowerCaseName(), k -> new java.util.ArrayList<>())
                        .add(field.getValue());
            }
            return new OutboundResponse(response.getStatus(), headers, response.getContent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jettyRequest.abort(e);
            throw new OutboundHttpException("interrupted", e);
        } catch (ExecutionException e) {
            throw translate(target, e.getCause(), maxResponseBytes);
        }
    }

    private Internal instance(URI uri) {
        String name = uri.getRawAuthority();
        Internal internal = name == null ? null : instances.get(name);
        if (internal == null) {
            throw new IllegalArgumentException(
                    "unknown replication instance '" + name + "' in " + uri + "; configured instances: "
                            + instances.keySet().stream().sorted().toList());
        }
        return internal;
    }

    /** A GET of {@code uri}; see {@link #send}. */
    public OutboundResponse get(URI uri) {
        return send(OutboundRequest.get(uri));
    }

    private static OutboundHttpException translate(URI uri, Throwable failure, int maxResponseBytes) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BlockedDestinationException blocked) {
                return blocked;
            }
            if (t instanceof TimeoutException) {
                return new OutboundHttpException("request to " + uri.getHost() + " timed out", failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Jetty's buffering listener says "Buffering capacity <n> exceeded"
            String message = t.getMessage();
            if (message != null && message.contains("capacity") && message.contains("exceeded")) {
                return new ResponseTooLargeException(maxResponseBytes, failure);
            }
        }
        return new OutboundHttpException("request to " + uri.getHost() + " failed: " + failure, failure);
    }

    private HttpClient client() {
        HttpClient c = jetty;
        if (c != null) {
            return c;
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("client is closed");
            }
            if (jetty == null) {
                jetty = startJetty();
            }
            return jetty;
        } finally {
            lock.unlock();
        }
    }

    private HttpClient startJetty() {
        HttpClient c = new HttpClient();
        if (!config.trust().isSystemOnly()) {
            SslContextFactory.Client tls = new SslContextFactory.Client();
            if (config.trust().verify()) {
                tls.setTrustStore(config.trust().trustStore());
            } else {
                tls.setTrustAll(true);
                tls.setEndpointIdentificationAlgorithm(null);
            }
            c.setSslContextFactory(tls);
        }
        Executor resolverThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("myelin-dns-", 0).factory());
        Set<String> proxyHosts = new HashSet<>();
        config.proxy().httpProxy().ifPresent(p -> proxyHosts.add(p.getHost().toLowerCase(Locale.ROOT)));
        config.proxy().httpsProxy().ifPresent(p -> proxyHosts.add(p.getHost().toLowerCase(Locale.ROOT)));
        BlocklistingResolver blocklisting =
                new BlocklistingResolver(resolver, config.blocklist(), localAddresses, proxyHosts, resolverThreads);
        c.setSocketAddressResolver(blocklisting);
        c.setConnectTimeout(config.connectTimeout().toMillis());
        c.setIdleTimeout(config.idleTimeout().toMillis());
        c.setFollowRedirects(config.followRedirects());
        c.setMaxRedirects(config.maxRedirects());
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, config.userAgent()));
        config.proxy().httpProxy().ifPresent(p -> c.getProxyConfiguration().addProxy(proxy(p, "http")));
        config.proxy().httpsProxy().ifPresent(p -> c.getProxyConfiguration().addProxy(proxy(p, "https")));
        if (!proxyHosts.isEmpty()) {
            // Proxied destinations are not resolved here; still refuse literal blocked addresses,
            // on every request including redirects, and numeric hosts the proxy might read as an
            // address other than the one checked here.
            c.getRequestListeners().addQueuedListener(req -> {
                if (req.getTag() instanceof InternalTag) {
                    return;
                }
                if (IpRange.isAmbiguousNumericHost(req.getHost())) {
                    req.abort(new BlockedDestinationException(req.getHost(), req.getHost()));
                    return;
                }
                IpRange.parseLiteral(req.getHost()).ifPresent(a -> {
                    if (blocklisting.isBlocked(a)) {
                        req.abort(new BlockedDestinationException(req.getHost(), a.getHostAddress()));
                    }
                });
            });
        }
        try {
            c.start();
        } catch (Exception e) {
            throw new OutboundHttpException("failed to start HTTP client", e);
        }
        return c;
    }

    private HttpProxy proxy(URI uri, String forScheme) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        ProxySettings settings = config.proxy();
        return new HttpProxy(new Origin.Address(uri.getHost(), port), secure) {
            @Override
            public boolean matches(Origin origin) {
                return forScheme.equalsIgnoreCase(origin.getScheme())
                        && !(origin.getTag() instanceof InternalTag)
                        && !settings.bypasses(origin.getAddress().getHost());
            }
        };
    }

    /** Stops the underlying client, if it was ever started. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (jetty != null) {
                jetty.stop();
            }
        } catch (Exception e) {
            throw new OutboundHttpException("failed to stop HTTP client", e);
        } finally {
            lock.unlock();
        }
    }
}
