package dev.myelin.server;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.discovery.FederationDns;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.federation.ratelimit.OriginRateLimiter;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.http.server.ClientRequestFilter;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.Router;
import dev.myelin.http.server.ServerAuthenticator;
import dev.myelin.server.api.testserver.TestControls;
import dev.myelin.server.area.AccountDataArea;
import dev.myelin.server.area.AccountsArea;
import dev.myelin.server.area.AdminUsersArea;
import dev.myelin.server.area.AppServiceArea;
import dev.myelin.server.area.Core;
import dev.myelin.server.area.DirectoryArea;
import dev.myelin.server.area.E2eeArea;
import dev.myelin.server.area.EphemeralArea;
import dev.myelin.server.area.FederationArea;
import dev.myelin.server.area.FederationOutbound;
import dev.myelin.server.area.FederationRoomReadsArea;
import dev.myelin.server.area.GuestArea;
import dev.myelin.server.area.KeyBackupArea;
import dev.myelin.server.area.KeyServerArea;
import dev.myelin.server.area.LegacyArea;
import dev.myelin.server.area.MediaAdminArea;
import dev.myelin.server.area.MediaArea;
import dev.myelin.server.area.MetricsArea;
import dev.myelin.server.area.OpenIdArea;
import dev.myelin.server.area.ProfileArea;
import dev.myelin.server.area.PushArea;
import dev.myelin.server.area.RegistrationTokensArea;
import dev.myelin.server.area.RelationsArea;
import dev.myelin.server.area.ReportsArea;
import dev.myelin.server.area.RoomAdminArea;
import dev.myelin.server.area.RoomCore;
import dev.myelin.server.area.RoomsArea;
import dev.myelin.server.area.SearchArea;
import dev.myelin.server.area.ServerInfoArea;
import dev.myelin.server.area.ServerNoticesArea;
import dev.myelin.server.area.SlidingSyncArea;
import dev.myelin.server.area.SpacesArea;
import dev.myelin.server.area.SyncArea;
import dev.myelin.server.area.TestServerArea;
import dev.myelin.server.area.ThreepidArea;
import dev.myelin.server.area.ToDeviceArea;
import dev.myelin.server.area.UserDirectoryArea;
import dev.myelin.server.area.WorkersArea;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.config.ListenerConfig;
import dev.myelin.server.config.RateLimitConfig;
import dev.myelin.server.handler.auth.RegistrationTokens;
import dev.myelin.server.handler.auth.TokenAuthenticator;
import dev.myelin.server.handler.directory.FederatedAliases;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import dev.myelin.server.handler.federation.ReceivedEvents;
import dev.myelin.server.handler.federation.RemoteJoins;
import dev.myelin.server.handler.federation.RoomBackfill;
import dev.myelin.server.handler.room.InviteRateLimits;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.server.metrics.ServerMetrics;
import dev.myelin.server.replication.WorkerReplication;
import dev.myelin.storage.Database;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The composition root of one homeserver process: builds the shared {@link Core} and {@link RoomCore},
 * then each feature area of {@code dev.myelin.server.area} in dependency order. Each area builds its own
 * stores, handlers and endpoints from what it is given, wired by constructors, and registers its routes;
 * nothing else creates long-lived components.
 */
public final class Homeserver implements AutoCloseable {
    /** Rate-limit actions and the config bucket each one reads. */
    private static final Map<String, String> RATE_LIMIT_ACTIONS = Map.ofEntries(
            Map.entry("message", "rc_message"),
            Map.entry("registration", "rc_registration"),
            Map.entry("login", "rc_login.address"),
            Map.entry("join", "rc_joins.local"),
            Map.entry("invite", "rc_invites.per_issuer"),
            Map.entry("room_creation", "rc_room_creation"),
            Map.entry("media_create", "rc_media_create"),
            Map.entry("report", "rc_reports"),
            Map.entry("presence", "rc_presence.per_user"),
            Map.entry("to_device", "rc_to_device"),
            Map.entry("typing", "rc_typing"));

    /**
     * Request bodies of every endpoint but media uploads (which allow {@code max_upload_size}): far
     * above any real JSON body (large /keys/upload or to-device batches stay under 1 MiB), small
     * enough that a client cannot make the server buffer much.
     */
    static final long MAX_JSON_BODY_BYTES = 10L * 1024 * 1024;

    /** How long a process of several waits for Redis at start-up before giving up. */
    private static final java.time.Duration REPLICATION_START_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final HomeserverConfig config;
    private final Database database;
    private final Notifier notifier;
    private final HttpServer http;
    private final MediaArea media;
    private final PushArea push;
    private final FederationOutbound federation;
    private final TestSeam testSeam;
    private final WorkersArea workers;
    private final Optional<WorkerReplication> replication;
    private final AppServiceArea appServices;

    private Homeserver(
            HomeserverConfig config,
            Database database,
            Notifier notifier,
            HttpServer http,
            MediaArea media,
            PushArea push,
            FederationOutbound federation,
            TestSeam testSeam,
            WorkersArea workers,
            Optional<WorkerReplication> replication,
            AppServiceArea appServices) {
        this.appServices = appServices;
        this.workers = workers;
        this.replication = replication;
        this.config = config;
        this.database = database;
        this.notifier = notifier;
        this.http = http;
        this.media = media;
        this.push = push;
        this.federation = federation;
        this.testSeam = testSeam;
    }

    /**
     * Options that tests change; production uses {@link #defaults()}.
     *
     * @param bcryptCost the password hashing cost
     * @param localConnectorOnly serve only Jetty's in-memory connector, ignoring the configured
     *     listeners
     * @param localConnector add the in-memory connector (always true when {@code
     *     localConnectorOnly}); with configured listeners too, a test can reach the server both
     *     in memory and over a real socket
     * @param federationDns how other servers' names are looked up ({@link FederationDns#none()} in
     *     tests, which must never query real DNS); {@code federation_static_dns} in the config
     *     replaces it
     * @param federationNetwork when present, other servers are reached through it rather than
     *     through DNS and sockets (homeservers in one JVM)
     * @param appServiceTransport when present, application services are reached through it rather
     *     than over HTTP (services in the test's JVM)
     * @param testControls when present, the server serves the {@code test-server} mode's clock and
     *     reset endpoints, driving these controls
     */
    public record Options(
            int bcryptCost,
            boolean localConnectorOnly,
            boolean localConnector,
            FederationDns federationDns,
            Optional<FederationNetwork> federationNetwork,
            Optional<HttpTransport> appServiceTransport,
            Optional<TestControls> testControls) {
        public Options {
            localConnector |= localConnectorOnly;
            Objects.requireNonNull(federationDns, "federationDns");
            Objects.requireNonNull(federationNetwork, "federationNetwork");
            Objects.requireNonNull(appServiceTransport, "appServiceTransport");
            Objects.requireNonNull(testControls, "testControls");
        }

        /** Options without test controls. */
        public Options(
                int bcryptCost,
                boolean localConnectorOnly,
                boolean localConnector,
                FederationDns federationDns,
                Optional<FederationNetwork> federationNetwork,
                Optional<HttpTransport> appServiceTransport) {
            this(
                    bcryptCost,
                    localConnectorOnly,
                    localConnector,
                    federationDns,
                    federationNetwork,
                    appServiceTransport,
                    Optional.empty());
        }

        /** Options reaching other servers through {@code federationNetwork}, application services over HTTP. */
        public Options(
                int bcryptCost,
                boolean localConnectorOnly,
                boolean localConnector,
                FederationDns federationDns,
                Optional<FederationNetwork> federationNetwork) {
            this(bcryptCost, localConnectorOnly, localConnector, federationDns, federationNetwork, Optional.empty());
        }

        /** Options reaching other servers through {@code federationDns} and sockets. */
        public Options(
                int bcryptCost, boolean localConnectorOnly, boolean localConnector, FederationDns federationDns) {
            this(bcryptCost, localConnectorOnly, localConnector, federationDns, Optional.empty());
        }

        /** Options with the system's DNS. */
        public Options(int bcryptCost, boolean localConnectorOnly, boolean localConnector) {
            this(bcryptCost, localConnectorOnly, localConnector, FederationDns.system());
        }

        /** Options without an in-memory connector next to the configured listeners. */
        public Options(int bcryptCost, boolean localConnectorOnly) {
            this(bcryptCost, localConnectorOnly, localConnectorOnly);
        }

        public static Options defaults() {
            return new Options(12, false);
        }

        /** These options, reaching other servers through {@code network} (in-process federations). */
        public Options withFederationNetwork(FederationNetwork network) {
            return new Options(
                    bcryptCost,
                    localConnectorOnly,
                    localConnector,
                    federationDns,
                    Optional.of(network),
                    appServiceTransport,
                    testControls);
        }

        /**
         * These options, reaching application services through {@code transport} rather than over
         * HTTP (a test's in-process services).
         */
        public Options withAppServiceTransport(HttpTransport transport) {
            return new Options(
                    bcryptCost,
                    localConnectorOnly,
                    localConnector,
                    federationDns,
                    federationNetwork,
                    Optional.of(transport),
                    testControls);
        }

        /** These options, serving the {@code test-server} mode's endpoints over {@code controls}. */
        public Options withTestControls(TestControls controls) {
            return new Options(
                    bcryptCost,
                    localConnectorOnly,
                    localConnector,
                    federationDns,
                    federationNetwork,
                    appServiceTransport,
                    Optional.of(controls));
        }
    }

    /**
     * Builds (but does not start) a homeserver on an already opened and migrated database.
     * The database is closed with the homeserver.
     */
    public static Homeserver create(
            HomeserverConfig config, Clock clock, Database database, SigningKey signingKey, Options options) {
        ServerName serverName = ServerName.parse(config.serverName());
        RoomVersion defaultRoomVersion =
                RoomVersions.find(config.defaultRoomVersion()).orElse(RoomVersions.DEFAULT);
        Router router = new Router();
        // the shared core first, then each area after the ones whose stores or handlers it takes
        Core core = Core.create(
                database,
                clock,
                serverName,
                options.bcryptCost(),
                rateLimit(config, "rc_login.failed_attempts"),
                config.appServices());
        WorkersArea workers = WorkersArea.create(config.workers(), config.outbound());
        RoomCore roomCore = RoomCore.create(core, signingKey, workers.eventWriters(core.streams()));
        ServerInfoArea.install(
                router,
                config.publicBaseUrl(),
                defaultRoomVersion,
                config.support(),
                config.threePids().enable3pidChanges());
        FederationDns dns =
                config.federation().staticDns().map(d -> (FederationDns) d).orElse(options.federationDns());
        FederationOutbound federationOutbound = FederationOutbound.create(
                core,
                signingKey,
                config.outbound(),
                config.federation(),
                config.federationRetry(),
                config.serverKeys().trustedKeyServers(),
                dns,
                options.federationNetwork());
        AppServiceArea appServices =
                AppServiceArea.install(router, core, config.outbound(), options.appServiceTransport());
        E2eeArea e2ee = E2eeArea.install(router, core, roomCore, federationOutbound);
        ReceivedEvents receivedEvents = new ReceivedEvents(
                serverName, signingKey, federationOutbound.keys(), roomCore.events(), roomCore.state());
        RemoteJoins remoteJoins = new RemoteJoins(
                serverName,
                signingKey,
                federationOutbound.client().ignoringBackoff(),
                roomCore.creator(),
                roomCore.rooms(),
                roomCore.events(),
                receivedEvents,
                clock,
                new RateLimiter(clock),
                rateLimit(config, "rc_joins.remote"));
        ToDeviceArea toDevice = ToDeviceArea.install(
                router,
                core,
                roomCore.transactions(),
                federationOutbound.sender(),
                config.federation().domainWhitelist(),
                rateLimit(config, "rc_key_requests"));
        KeyBackupArea.install(router, database);
        ProfileArea profiles = ProfileArea.install(router, core, roomCore, federationOutbound);
        RegistrationTokens registrationTokens =
                RegistrationTokensArea.install(router, core, config.enableRegistration());
        ThreepidArea threepid = ThreepidArea.create(
                core, roomCore, profiles.store(), config.threePids(), config.publicBaseUrl(), config.outbound());
        AccountsArea.Handlers accountHandlers = AccountsArea.install(
                router,
                core,
                roomCore,
                profiles.store(),
                e2ee.deviceLists(),
                toDevice.inbox(),
                config.enableRegistration(),
                config.registrationSharedSecret(),
                config.registrationRequiresToken() ? Optional.of(registrationTokens) : Optional.empty(),
                config.allowGuestAccess(),
                Optional.of(threepid.emailStage()),
                config.threePids().registrationsRequire3pid().contains("email"));
        threepid.install(router, accountHandlers.lifecycle());
        InviteRateLimits inviteLimits = new InviteRateLimits(
                new RateLimiter(clock),
                rateLimit(config, "rc_invites.per_room"),
                rateLimit(config, "rc_invites.per_user"));
        AccountDataArea accountData = AccountDataArea.install(router, core);
        EphemeralArea ephemeral =
                EphemeralArea.install(router, core, roomCore, accountData.store(), config.presenceEnabled());
        Optional<WorkerReplication> replication = workers.install(
                router,
                core,
                roomCore.creator(),
                ephemeral.typing(),
                ephemeral.presence(),
                federationOutbound.sender(),
                serverName);
        PushArea push = PushArea.install(router, core, roomCore, accountData.store(), ephemeral, config.outbound());
        // no lambda or method reference over WorkerReplication on this path: resolving one loads the class,
        // and with it matrix-replication, an optional dependency a single process does without
        if (replication.isPresent()) {
            workers.shardPushes(replication.get(), push.sender());
        }
        RoomsArea rooms = RoomsArea.install(
                router,
                core,
                roomCore,
                profiles.store(),
                defaultRoomVersion,
                inviteLimits,
                accountData.store(),
                push.rules(),
                remoteJoins,
                new FederatedAliases(federationOutbound.client()),
                federationOutbound,
                signingKey,
                new RoomBackfill(
                        serverName,
                        roomCore.rooms(),
                        roomCore.events(),
                        roomCore.state(),
                        roomCore.creator(),
                        receivedEvents,
                        federationOutbound.client()),
                appServices.queries(),
                threepid.thirdPartyInvites());
        threepid.installBinds(router, rooms.membership(), federationOutbound.client());
        GuestArea guests = GuestArea.install(core, roomCore, rooms);
        RoomDirectoryHandler directory = DirectoryArea.install(
                router, core, roomCore, rooms.aliases(), federationOutbound, appServices.queries());
        appServices.startSending(
                roomCore, rooms.aliases(), ephemeral, config.workers().isMain());
        SyncArea.install(router, core, roomCore, accountData.store(), ephemeral, push, toDevice.inbox(), e2ee.sync());
        SlidingSyncArea.install(
                router, core, roomCore, accountData.store(), ephemeral, push, toDevice.inbox(), e2ee.sync());
        LegacyArea.install(router, core, roomCore, rooms.reads(), accountData.store(), ephemeral);
        RelationsArea.install(router, roomCore, rooms.reads());
        SearchArea.install(router, core, roomCore, rooms.reads());
        UserDirectoryArea.install(router, database, serverName, roomCore);
        ReportsArea reports = ReportsArea.install(router, core, rooms.reads());
        AdminUsersArea adminUsers =
                AdminUsersArea.install(router, core, roomCore, profiles.store(), profiles.handler(), accountHandlers);
        ServerNoticesArea.install(
                router,
                core,
                roomCore,
                profiles.store(),
                federationOutbound,
                defaultRoomVersion,
                config.serverNotices());
        RoomAdminArea.install(router, core, roomCore, rooms, profiles.store(), defaultRoomVersion);
        OpenIdArea.install(router, database, clock, serverName);
        ServerKeyPublisher ownKeys = KeyServerArea.install(router, clock, serverName, signingKey, config.serverKeys());
        FederationArea federation = FederationArea.install(
                router,
                core,
                signingKey,
                ownKeys,
                config.serverKeys(),
                config.federation(),
                federationOutbound,
                profiles.handler(),
                toDevice.inbound(),
                roomCore,
                receivedEvents,
                ephemeral,
                e2ee.edus());
        FederationRoomReadsArea.install(
                router, core, roomCore, directory, config.federation().allowPublicRoomsOverFederation());
        SpacesArea.install(router, core, roomCore, federationOutbound, directory);
        MediaArea media = MediaArea.install(
                router,
                core,
                config.mediaStorePath(),
                config.maxUploadSizeBytes(),
                config.media(),
                config.outbound().trust(),
                federationOutbound);
        MediaAdminArea.install(router, core, config.mediaStorePath());
        TestServerArea.install(router, options.testControls());

        TestSeam seam = new TestSeam(
                roomCore.creator(),
                push.counter(),
                roomCore.events(),
                roomCore.state(),
                core.users(),
                core.devices(),
                reports.store(),
                toDevice.inbox(),
                media.store(),
                federation.serverKeys(),
                federationOutbound.sender(),
                router,
                roomCore.persister(),
                database);
        Optional<ServerMetrics> metrics =
                MetricsArea.install(config.enableMetrics(), core, roomCore, federationOutbound);
        HttpServer http = httpServer(
                router,
                config,
                clock,
                core.authenticator(),
                federation.serverAuthenticator(),
                adminUsers.moderation().andThen(guests.rules()),
                adminUsers,
                options,
                metrics);
        return new Homeserver(
                config,
                database,
                core.notifier(),
                http,
                media,
                push,
                federationOutbound,
                seam,
                workers,
                replication,
                appServices);
    }

    /** The HTTP server: the router behind the token authenticator, with rate limits and listeners. */
    private static HttpServer httpServer(
            Router router,
            HomeserverConfig config,
            Clock clock,
            TokenAuthenticator authenticator,
            ServerAuthenticator serverAuthenticator,
            ClientRequestFilter clientFilter,
            AdminUsersArea adminUsers,
            Options options,
            Optional<ServerMetrics> metrics) {
        HttpServer.Builder http = HttpServer.builder(router, clock)
                .authenticator(authenticator)
                .clientRequestFilter(clientFilter)
                .rateLimitOverrides(adminUsers.rateLimitOverrides())
                .serverAuthenticator(serverAuthenticator)
                .serverRequestGate(new OriginRateLimiter(config.federation().rateLimit(), clock))
                .maxBodyBytes(MAX_JSON_BODY_BYTES)
                .idleTimeout(config.connectionTimeouts().idle())
                .requestHeaderTimeout(config.connectionTimeouts().requestHeaders())
                .requestBodyTimeout(config.connectionTimeouts().requestBody());
        RATE_LIMIT_ACTIONS.forEach((action, bucket) -> http.rateLimit(action, rateLimit(config, bucket)));
        metrics.ifPresent(m -> http.requestObserver(m.requests()).metrics(MetricsArea.PATH, m));
        if (options.localConnector()) {
            http.localConnector();
        }
        if (!options.localConnectorOnly()) {
            boolean trustProxy = false;
            for (ListenerConfig listener : config.listeners()) {
                if (listener.metricsOnly() && metrics.isEmpty()) {
                    continue; // enable_metrics is off: the config loader warned
                }
                for (String address : listener.bindAddresses()) {
                    if (listener.tls()) {
                        // certificates are reloaded from disk when they change (certbot renewals)
                        http.listenTls(
                                address,
                                listener.port(),
                                config.tlsCertificatePath().orElseThrow(),
                                config.tlsPrivateKeyPath().orElseThrow());
                    } else {
                        http.listen(
                                address,
                                listener.port(),
                                !listener.metricsOnly(),
                                metrics.isPresent() && listener.serves("metrics"));
                    }
                }
                trustProxy |= listener.xForwarded();
            }
            http.trustForwardedFor(trustProxy);
        }
        return http.build();
    }

    private static RateLimit rateLimit(HomeserverConfig config, String bucket) {
        RateLimitConfig limit = config.rateLimit(bucket);
        return new RateLimit(limit.perSecond(), (int) Math.min(Integer.MAX_VALUE, limit.burstCount()));
    }

    public void start() {
        // before any request: this process's writes are announced to the others from the first one
        if (replication.isPresent()) {
            try {
                replication.get().start(REPLICATION_START_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting to Redis", e);
            }
        }
        http.start();
        federation.start();
        push.sender().resume();
    }

    /** The first listener's actual port (useful when the config asked for port 0). */
    public int port() {
        return http.port();
    }

    public HttpServer http() {
        return http;
    }

    public HomeserverConfig config() {
        return config;
    }

    /** A deliberately small seam for the homeserver's own tests; not an API. */
    public TestSeam testSeam() {
        return testSeam;
    }

    /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
    @Override
    public void close() {
        try {
            notifier.shutdown();
            http.stop();
            if (replication.isPresent()) {
                replication.get().close();
            }
            workers.close();
            push.close();
            appServices.close();
            media.close();
            federation.close();
        } finally {
            database.close();
        }
    }
}
