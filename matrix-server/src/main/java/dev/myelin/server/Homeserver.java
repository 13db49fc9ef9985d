package dev.myelin.server;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.Clock;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.ClientApi;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.config.ListenerConfig;
import dev.myelin.server.config.RateLimitConfig;
import dev.myelin.server.handler.Handlers;
import dev.myelin.storage.Database;
import java.util.Map;

/**
 * The composition root: builds every store, handler and endpoint of one homeserver process from
 * its config, wired by constructors. Nothing else creates long-lived components.
 */
public final class Homeserver implements AutoCloseable {
    /** Rate-limit actions and the config bucket each one reads. */
    private static final Map<String, String> RATE_LIMIT_ACTIONS = Map.of(
            "message", "rc_message",
            "registration", "rc_registration",
            "login", "rc_login.address",
            "join", "rc_joins.local",
            "invite", "rc_invites.per_user");

    /**
     * Request bodies of every endpoint but media uploads (which allow {@code max_upload_size}): far
     * above any real JSON body (large /keys/upload or to-device batches stay under 1 MiB), small
     * enough that a client cannot make the server buffer much.
     */
    static final long MAX_JSON_BODY_BYTES = 10L * 1024 * 1024;

    private final HomeserverConfig config;
    private final Database database;
    private final Stores stores;
    private final Handlers handlers;
    private final HttpServer http;
    private final TestSeam testSeam;

    private Homeserver(HomeserverConfig config, Database database, Stores stores, Handlers handlers, HttpServer http,
            TestSeam testSeam) {
        this.config = config;
        this.database = database;
        this.stores = stores;
        this.handlers = handlers;
        this.http = http;
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
     */
    public record Options(int bcryptCost, boolean localConnectorOnly, boolean localConnector) {
        public Options {
            localConnector |= localConnectorOnly;
        }

        /** Options without an in-memory connector next to the configured listeners. */
        public Options(int bcryptCost, boolean localConnectorOnly) {
            this(bcryptCost, localConnectorOnly, localConnectorOnly);
        }

        public static Options defaults() {
            return new Options(12, false);
        }
    }

    /**
     * Builds (but does not start) a homeserver on an already opened and migrated database.
     * The database is closed with the homeserver.
     */
    public static Homeserver create(HomeserverConfig config, Clock clock, Database database, SigningKey signingKey,
            Options options) {
        ServerName serverName = ServerName.parse(config.serverName());
        Stores stores = Stores.create(database, clock, options.bcryptCost());
        Handlers handlers = Handlers.create(config, clock, serverName, signingKey, stores,
                RoomVersions.find(config.defaultRoomVersion()).orElse(RoomVersions.DEFAULT));
        Router router = new Router();
        ClientApi.register(router, config, clock, stores, handlers);

        HttpServer.Builder http = HttpServer.builder(router, clock)
                .authenticator(handlers.authenticator())
                .maxBodyBytes(MAX_JSON_BODY_BYTES);
        RATE_LIMIT_ACTIONS.forEach((action, bucket) -> {
            RateLimitConfig limit = config.rateLimit(bucket);
            http.rateLimit(action, new RateLimit(limit.perSecond(), (int) Math.min(Integer.MAX_VALUE, limit.burstCount())));
        });
        if (options.localConnector()) {
            http.localConnector();
        }
        if (!options.localConnectorOnly()) {
            boolean trustProxy = false;
            for (ListenerConfig listener : config.listeners()) {
                for (String address : listener.bindAddresses()) {
                    if (listener.tls()) {
                        // certificates are reloaded from disk when they change (certbot renewals)
                        http.listenTls(address, listener.port(), config.tlsCertificatePath().orElseThrow(),
                                config.tlsPrivateKeyPath().orElseThrow());
                    } else {
                        http.listen(address, listener.port());
                    }
                }
                trustProxy |= listener.xForwarded();
            }
            http.trustForwardedFor(trustProxy);
        }
        TestSeam testSeam = new TestSeam(handlers.events(), handlers.notificationCounter(),
                stores.events(), stores.state(), stores.users(), stores.devices(), stores.reports(), stores.toDevice(),
                stores.media());
        return new Homeserver(config, database, stores, handlers, http.build(), testSeam);
    }

    public void start() {
        http.start();
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

    public Stores stores() {
        return stores;
    }

    public Handlers handlers() {
        return handlers;
    }

    /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
    @Override
    public void close() {
        try {
            handlers.notifier().shutdown();
            http.stop();
            handlers.urlPreviews().ifPresent(previews -> previews.close());
        } finally {
            database.close();
        }
    }
}
