package dev.myelin.http.server;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.myelin.core.time.Clock;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimitOverrides;
import dev.myelin.http.ratelimit.RateLimiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded Jetty server that serves a {@link Router}'s endpoints as Matrix HTTP APIs: CORS on
 * every response, Matrix error bodies for every failure, access-token auth, rate limits, and
 * endpoint code running on virtual threads.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder(router, clock)
 *         .authenticator(tokens::lookup)
 *         .listen("127.0.0.1", 8008)
 *         .build();
 * server.start();
 * }</pre>
 *
 * <p>{@link Builder#listenTls} serves HTTPS from certbot-style PEM files and picks up renewed
 * certificates without a restart.
 *
 * <p>For tests, {@link Builder#localConnector()} adds Jetty's in-memory connector, and
 * {@link #localRequest(String)} sends raw HTTP through it without sockets.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#api-standards">API standards</a>
 */
public final class HttpServer {

    /** A listener address: a host to bind ({@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1}, ...) and a port, 0 for any free one. */
    public record BindAddress(String host, int port) {
        /** Requires a host and a port between 0 and 65535. */
        public BindAddress {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
        }
    }

    /**
     * The PEM files of a TLS listener.
     *
     * @param certificate the certificate chain, leaf first (certbot's {@code fullchain.pem})
     * @param key the unencrypted private key: PKCS#8, PKCS#1 RSA or SEC1 EC (certbot's
     *     {@code privkey.pem})
     */
    private record TlsFiles(Path certificate, Path key) {}

    /**
     * One network listener.
     *
     * @param matrix whether it serves the Matrix APIs (the router's endpoints)
     * @param metrics whether it serves the metrics path
     */
    private record Listener(BindAddress address, Optional<TlsFiles> tls, boolean matrix, boolean metrics) {}

    /** Seconds a connection may be idle unless {@link Builder#idleTimeout} says otherwise. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    /** Seconds a client has to send request headers unless {@link Builder#requestHeaderTimeout} says otherwise. */
    public static final int DEFAULT_REQUEST_HEADER_TIMEOUT_SECONDS = 15;
    /** Seconds a request body gets before its rate counts unless {@link Builder#requestBodyTimeout} says otherwise. */
    public static final int DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS = 20;

    private static final Duration DEFAULT_REQUEST_BODY_TIMEOUT =
            Duration.ofSeconds(DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS);
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    private static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT =
            Duration.ofSeconds(DEFAULT_REQUEST_HEADER_TIMEOUT_SECONDS);

    private final List<Path> unixSockets;

    private final Server server;
    private final List<ServerConnector> connectors;
    private final LocalConnector local;
    private final CertificateReloader certificates;

    private HttpServer(Builder b) {
        for (Endpoint e : b.router.endpoints()) {
            e.rateLimitAction().ifPresent(action -> {
                if (!b.rateLimits.containsKey(action)) {
                    throw new IllegalStateException("endpoint " + e.method() + " " + e.path()
                            + " uses rate-limit action '" + action + "' that has no configured limit");
                }
            });
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("myelin-http");
        // Blocking work (every servlet dispatch) is handed to this executor by Jetty.
        Executor virtualThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("myelin-http-vt-", 0).factory());
        threads.setVirtualThreadsExecutor(virtualThreads);
        server = new Server(threads);
        server.setStopTimeout(b.stopTimeout.toMillis());

        HttpConfiguration config = httpConfiguration();

        HeaderTimeout headerTimeout = new HeaderTimeout(b.requestHeaderTimeout, server.getScheduler());
        connectors = new ArrayList<>();
        List<CertificateReloader.Listener> tlsListeners = new ArrayList<>();
        Set<Connector> metricsConnectors = new HashSet<>();
        Set<Connector> metricsOnlyConnectors = new HashSet<>();
        for (Listener listener : b.listeners) {
            ServerConnector connector;
            if (listener.tls().isPresent()) {
                TlsFiles files = listener.tls().get();
                SslContextFactory.Server ssl = CertificateReloader.context(files.certificate(), files.key());
                tlsListeners.add(new CertificateReloader.Listener(ssl, files.certificate(), files.key()));
                HttpConfiguration https = new HttpConfiguration(config);
                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                secure.setSniHostCheck(false);
                https.addCustomizer(secure);
                connector = new ServerConnector(
                        server,
                        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                        new HttpConnectionFactory(https));
            } else {
                connector = new ServerConnector(server, new HttpConnectionFactory(config));
            }
            connector.setHost(listener.address().host());
            connector.setPort(listener.address().port());
            limitSlowClients(connector, headerTimeout, b.idleTimeout);
            server.addConnector(connector);
            connectors.add(connector);
            if (listener.metrics()) {
                metricsConnectors.add(connector);
                if (!listener.matrix()) {
                    metricsOnlyConnectors.add(connector);
                }
            }
        }
        certificates = new CertificateReloader(tlsListeners, b.clock, b.tlsReloadInterval);
        unixSockets = List.copyOf(b.unixSockets);
        for (Path socket : unixSockets) {
            UnixDomainServerConnector connector =
                    new UnixDomainServerConnector(server, new HttpConnectionFactory(config));
            connector.setUnixDomainPath(socket);
            limitSlowClients(connector, headerTimeout, b.idleTimeout);
            server.addConnector(connector);
        }
        if (b.localConnector) {
            local = new LocalConnector(server, new HttpConnectionFactory(config));
            server.addConnector(local);
        } else {
            local = null;
        }
        if (connectors.isEmpty() && unixSockets.isEmpty() && local == null) {
            throw new IllegalStateException("no listeners configured");
        }

        MatrixServlet servlet = new MatrixServlet(new MatrixServlet.Dispatch(
                b.router,
                b.authenticator,
                b.serverAuthenticator,
                b.serverGate,
                new RateLimiter(b.clock),
                Map.copyOf(b.rateLimits),
                b.rateLimitOverrides,
                b.clientFilter,
                b.maxBodyBytes,
                b.trustForwardedFor,
                b.json,
                virtualThreads,
                b.clock,
                new BodyPace(b.clock, b.requestBodyTimeout),
                b.requestObserver));
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder holder = new ServletHolder("matrix", servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        context.setErrorHandler(new JsonErrorHandler());
        server.setErrorHandler(new JsonErrorHandler());
        Handler matrix = new GracefulHandler(context);
        headerTimeout.setHandler(
                metricsConnectors.isEmpty()
                        ? matrix
                        : new ApiSelector(
                                matrix,
                                metricsConnectors,
                                metricsOnlyConnectors,
                                b.metricsPath,
                                b.metrics.orElseThrow(() ->
                                        new IllegalStateException("a listener serves metrics but no source is set"))));
        server.setHandler(headerTimeout);
    }

    /** How every plain-HTTP connector parses requests (also {@link HttpFront}'s). */
    static HttpConfiguration httpConfiguration() {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // The HTTP/1.1 parser can cache the header lines of earlier requests on a connection
        // (Authorization and Cookie among them). By default it matches new lines against that cache
        // ignoring case, handing back the cached value: a case-changed access token then arrived as
        // the real one. Matching exactly fixes that but makes each connection's cache a trie of
        // about 100 KiB, which a thousand long-polling clients turn into a hundred MiB of heap; no
        // cache at all costs a few small objects per header line instead.
        config.setHeaderCacheSize(0);
        config.setHeaderCacheCaseSensitive(true);
        // Matrix ids may contain '/', sent as %2F inside one path segment; the router splits on
        // the raw path, so such URIs are not ambiguous to it.
        config.setUriCompliance(UriCompliance.DEFAULT.with(
                "matrix",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        return config;
    }

    /**
     * Bounds how long a network connection may take: {@code idle} without any byte either way, and
     * the {@link HeaderTimeout} for request headers. The in-memory connector has neither, since
     * tests drive it and no client can hold it open.
     */
    private static void limitSlowClients(AbstractConnector connector, HeaderTimeout headerTimeout, Duration idle) {
        connector.setIdleTimeout(idle.toMillis());
        connector.addEventListener(headerTimeout);
    }

    /**
     * A builder serving {@code router}, with {@code clock} driving the rate limiter, the TLS
     * reload checks and the durations in the access log.
     */
    public static Builder builder(Router router, Clock clock) {
        return new Builder(router, clock);
    }

    /** Starts listening; returns once every listener is bound. */
    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("failed to start HTTP server", e);
        }
        certificates.start();
    }

    /**
     * Re-reads the PEM files of every TLS listener now and swaps in each pair that changed and
     * loads; a pair that fails to load is logged and the current one kept. New connections get
     * the new certificate; open ones keep theirs. The same check also runs every
     * {@link Builder#tlsReloadInterval(Duration)}.
     *
     * @return how many listeners now serve a new certificate
     */
    public int reloadTlsCertificates() {
        return certificates.reloadChanged();
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to the stop timeout,
     * then closes everything.
     */
    public void stop() {
        certificates.stop();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("failed to stop HTTP server", e);
        }
    }

    /** The actual port of the first network listener (useful when it was configured as 0). */
    public int port() {
        if (connectors.isEmpty()) {
            throw new IllegalStateException("no network listener");
        }
        return ports().getFirst();
    }

    /** The actual ports of all network listeners, in configuration order. */
    public List<Integer> ports() {
        return connectors.stream().map(NetworkConnector::getLocalPort).toList();
    }

    /**
     * Sends one raw HTTP/1.1 request through the in-memory connector and returns the raw response.
     *
     * @throws IllegalStateException if the server was built without {@link Builder#localConnector()}
     */
    public String localRequest(String rawRequest) {
        if (local == null) {
            throw new IllegalStateException("built without a local connector");
        }
        try {
            return local.getResponse(rawRequest);
        } catch (Exception e) {
            throw new IllegalStateException("local request failed", e);
        }
    }

    /** The server's outermost handler, for an {@link HttpFront} that passes its requests here. */
    Handler handler() {
        return server.getHandler();
    }

    /** Configures an {@link HttpServer}. */
    public static final class Builder {
        private final Router router;
        private final Clock clock;
        private Authenticator authenticator = Authenticator.rejectAll();
        private ServerAuthenticator serverAuthenticator = ServerAuthenticator.rejectAll();
        private ServerRequestGate serverGate = ServerRequestGate.OPEN;
        private final Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
        private RateLimitOverrides rateLimitOverrides = RateLimitOverrides.NONE;
        private ClientRequestFilter clientFilter = ClientRequestFilter.NONE;
        private final List<Listener> listeners = new ArrayList<>();
        private Duration tlsReloadInterval = Duration.ofMinutes(1);
        private final List<Path> unixSockets = new ArrayList<>();
        private boolean localConnector;
        private RequestObserver requestObserver = RequestObserver.NONE;
        private String metricsPath = "/metrics";
        private Optional<MetricsSource> metrics = Optional.empty();
        private long maxBodyBytes = 50L * 1024 * 1024;
        private boolean trustForwardedFor;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;
        private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;
        private ObjectMapper json = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();

        private Builder(Router router, Clock clock) {
            this.router = Objects.requireNonNull(router, "router");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** How access tokens are checked; by default every token is unknown. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** How requests from other servers are checked; by default every one is refused. */
        public Builder serverAuthenticator(ServerAuthenticator serverAuthenticator) {
            this.serverAuthenticator = Objects.requireNonNull(serverAuthenticator, "serverAuthenticator");
            return this;
        }

        /**
         * What authenticated requests from other servers pass through before their endpoint runs
         * (per-origin limits); by default nothing holds them.
         */
        public Builder serverRequestGate(ServerRequestGate gate) {
            this.serverGate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /** The limit for an endpoint rate-limit action. Every action an endpoint names must have one. */
        public Builder rateLimit(String action, RateLimit limit) {
            rateLimits.put(Objects.requireNonNull(action, "action"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Per-user limits that replace the configured ones; by default there are none. */
        public Builder rateLimitOverrides(RateLimitOverrides overrides) {
            this.rateLimitOverrides = Objects.requireNonNull(overrides, "overrides");
            return this;
        }

        /**
         * What authenticated users' requests pass through before rate limits and their endpoint;
         * by default nothing holds them.
         */
        public Builder clientRequestFilter(ClientRequestFilter filter) {
            this.clientFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Adds a network listener; port 0 picks a free port (see {@link HttpServer#port()}). */
        public Builder listen(String host, int port) {
            return listen(host, port, true, false);
        }

        /**
         * Adds a network listener serving the Matrix APIs, the {@linkplain #metrics metrics path},
         * or both. Metrics are not authenticated: serve them only on listeners that the public
         * cannot reach.
         */
        public Builder listen(String host, int port, boolean matrixApis, boolean metrics) {
            if (!matrixApis && !metrics) {
                throw new IllegalArgumentException("a listener must serve something");
            }
            listeners.add(new Listener(new BindAddress(host, port), Optional.empty(), matrixApis, metrics));
            return this;
        }

        /** What answers the metrics path ({@code path}, e.g. {@code /_synapse/metrics}) on metrics listeners. */
        public Builder metrics(String path, MetricsSource source) {
            this.metricsPath = Objects.requireNonNull(path, "path");
            this.metrics = Optional.of(source);
            return this;
        }

        /** Told of every answered request (metrics); {@link RequestObserver#NONE} unless set. */
        public Builder requestObserver(RequestObserver observer) {
            this.requestObserver = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Adds a listener on a UNIX domain socket at {@code socket}, e.g. for workers reached
         * through {@code replication://} URIs on the same machine. The socket file is created at
         * start and removed at stop; its directory controls who may connect.
         */
        public Builder listenUnix(Path socket) {
            unixSockets.add(Objects.requireNonNull(socket, "socket"));
            return this;
        }

        /**
         * Adds an HTTPS listener serving the certificate chain and private key in two PEM files,
         * as certbot writes them ({@code fullchain.pem}, {@code privkey.pem}). The key may be
         * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
         * ({@code BEGIN EC PRIVATE KEY}), and must not be encrypted.
         *
         * <p>The files are read at {@link #build()}, which fails if they do not load or the key
         * does not match the first certificate. When their contents change later they are
         * loaded again without a restart; see {@link #tlsReloadInterval(Duration)}.
         */
        public Builder listenTls(String host, int port, Path certificatePem, Path keyPem) {
            listeners.add(new Listener(
                    new BindAddress(host, port),
                    Optional.of(new TlsFiles(
                            Objects.requireNonNull(certificatePem, "certificatePem"),
                            Objects.requireNonNull(keyPem, "keyPem"))),
                    true,
                    false));
            return this;
        }

        /**
         * How often the PEM files of TLS listeners are checked for changes, on the server's
         * {@link Clock}; one minute unless set, {@link Duration#ZERO} to check only when
         * {@link HttpServer#reloadTlsCertificates()} is called.
         */
        public Builder tlsReloadInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("negative interval");
            }
            this.tlsReloadInterval = interval;
            return this;
        }

        /** Adds Jetty's in-memory connector, for {@link HttpServer#localRequest(String)}. */
        public Builder localConnector() {
            this.localConnector = true;
            return this;
        }

        /** Default request body limit (endpoints may override); 50 MiB unless set. */
        public Builder maxBodyBytes(long maxBodyBytes) {
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("negative limit");
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Whether a reverse proxy in front of this server is trusted to set
         * {@code X-Forwarded-For} (Synapse's {@code x_forwarded}). When false the header is
         * ignored, since any client could forge it.
         */
        public Builder trustForwardedFor(boolean trust) {
            this.trustForwardedFor = trust;
            return this;
        }

        /**
         * How long a network connection may stay open with no byte sent either way;
         * {@value HttpServer#DEFAULT_IDLE_TIMEOUT_SECONDS} s unless set. Closes keep-alive connections nobody
         * uses.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idle timeout");
            return this;
        }

        /**
         * How long a client may take to send a request's headers: the first request's from the
         * moment its connection opens (the TLS handshake included), each later one's from its
         * first byte; {@value HttpServer#DEFAULT_REQUEST_HEADER_TIMEOUT_SECONDS} s unless set. A connection
         * over it is closed, so clients trickling headers a byte at a time cannot hold
         * connections open. The body is covered by {@link #requestBodyTimeout}.
         */
        public Builder requestHeaderTimeout(Duration timeout) {
            this.requestHeaderTimeout = positive(timeout, "request header timeout");
            return this;
        }

        /**
         * How slowly a request body may arrive: within this time of the endpoint starting to read
         * it, plus one second for every 500 bytes received (so a large upload at any usable speed
         * is never cut off); {@value HttpServer#DEFAULT_REQUEST_BODY_TIMEOUT_SECONDS} s unless set, measured
         * on the server's {@link Clock}. A body falling behind is answered with 408 and the
         * connection closed.
         */
        public Builder requestBodyTimeout(Duration timeout) {
            this.requestBodyTimeout = positive(timeout, "request body timeout");
            return this;
        }

        private static Duration positive(Duration timeout, String what) {
            Objects.requireNonNull(timeout, what);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the " + what + " must be positive");
            }
            return timeout;
        }

        /** How long {@link HttpServer#stop()} waits for in-flight requests; 10 s unless set. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The Jackson mapper for request and response bodies. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.json = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Builds the server (not started yet).
         *
         * @return the server
         * @throws IllegalStateException if no listener is configured or an endpoint names a
         *     rate-limit action without a configured limit
         * @throws IllegalArgumentException if a TLS listener's PEM files do not load
         */
        public HttpServer build() {
            return new HttpServer(this);
        }
    }
}
