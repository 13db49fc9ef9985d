package dev.myelin.server.area;

import dev.myelin.core.id.UserId;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.appservice.PingEndpoint;
import dev.myelin.server.api.client.thirdparty.ProtocolEndpoint;
import dev.myelin.server.api.client.thirdparty.ProtocolsEndpoint;
import dev.myelin.server.api.client.thirdparty.ReverseLookupEndpoint;
import dev.myelin.server.api.client.thirdparty.ThirdPartyLookupEndpoint;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.handler.appservice.AppServiceClient;
import dev.myelin.server.handler.appservice.AppServiceInterest;
import dev.myelin.server.handler.appservice.AppServiceQueries;
import dev.myelin.server.handler.appservice.AppServiceSender;
import dev.myelin.server.handler.appservice.ThirdPartyLookups;
import dev.myelin.storage.appservice.AppServicePositionStore;
import dev.myelin.storage.room.RoomAliasStore;
import java.time.Duration;
import java.util.Optional;

/**
 * Application services ({@code app_service_config_files}): the requests the homeserver makes to
 * them (transactions of events, user and alias queries, third-party lookups, pings) and the
 * client endpoints only they use. Their tokens are recognised by {@link Core}'s authenticator.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/">Application Service API</a>
 */
public final class AppServiceArea implements AutoCloseable {
    private final Core core;
    private final AppServiceClient client;
    private final AppServiceQueries queries;
    private final Optional<MatrixHttpClient> http;
    private volatile Optional<AppServiceSender> sender = Optional.empty();

    private AppServiceArea(
            Core core, AppServiceClient client, AppServiceQueries queries, Optional<MatrixHttpClient> http) {
        this.core = core;
        this.client = client;
        this.queries = queries;
        this.http = http;
    }

    /**
     * Installs the area. Services are reached through {@code transport} when given (tests that run
     * a service in process), else over HTTP: services are the admin's own programs, usually on
     * loopback or a private network, so the federation blocklist does not apply to them (as in
     * Synapse), but {@code outbound}'s trusted CAs do.
     */
    public static AppServiceArea install(
            Router router, Core core, OutboundSettings outbound, Optional<HttpTransport> transport) {
        Optional<MatrixHttpClient> http =
                transport.isPresent() || core.appServices().isEmpty()
                        ? Optional.empty()
                        : Optional.of(MatrixHttpClient.create(OutboundConfig.defaults()
                                .withBlocklist(IpBlocklist.none())
                                .withTrust(outbound.trust())
                                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))));
        HttpTransport to =
                transport.orElseGet(() -> http.<HttpTransport>map(h -> h).orElse(request -> {
                    throw new IllegalStateException("no application service is registered");
                }));
        AppServiceClient client = new AppServiceClient(to);
        registerClientEndpoints(router, core, client);
        AppServiceQueries queries = new AppServiceQueries(core.appServices(), client, core.users(), core.serverName());
        ensureSenders(core);
        return new AppServiceArea(core, client, queries, http);
    }

    /**
     * Each service's own user ({@code sender_localpart}) exists from the start, without a password,
     * so that it can join rooms and have a profile before the service registers anything.
     */
    private static void ensureSenders(Core core) {
        for (AppServiceRegistration service : core.appServices().all()) {
            UserId sender = core.appServices().senderOf(service);
            if (core.users().get(sender).isEmpty()) {
                core.users().create(sender, null, false);
            }
        }
    }

    /**
     * Starts pushing events to the services, once the rooms exist to be read: in the main process
     * only, when there are several, so that each event is sent once.
     */
    public void startSending(RoomCore rooms, RoomAliasStore aliases, EphemeralArea ephemeral, boolean thisProcess) {
        if (!thisProcess || core.appServices().isEmpty()) {
            return;
        }
        AppServiceInterest interest = new AppServiceInterest(core.appServices(), rooms.state(), aliases);
        AppServiceSender started = new AppServiceSender(
                core.appServices(),
                client,
                rooms.events(),
                interest,
                rooms.clientEvents(),
                new AppServicePositionStore(core.database()),
                queries,
                core.clock());
        rooms.eventListeners().add(started);
        ephemeral
                .typing()
                .addListener((room, user, typing) ->
                        started.onTyping(room, ephemeral.typing().typing(room)));
        ephemeral.onReadReceipt(
                (room, user) -> ephemeral.receipts().get(room, "m.read", user).ifPresent(started::onReceipt));
        ephemeral.presence().addListener(started::onPresence);
        sender = Optional.of(started);
        started.start();
    }

    /** Third-party lookups (answered by the services) and the endpoints only services call. */
    private static void registerClientEndpoints(Router router, Core core, AppServiceClient client) {
        ThirdPartyLookups lookups = new ThirdPartyLookups(core.appServices(), client, core.clock());
        router.register(new ProtocolsEndpoint(lookups));
        router.register(new ProtocolEndpoint(lookups));
        for (ThirdPartyLookups.Kind kind : ThirdPartyLookups.Kind.values()) {
            router.register(new ThirdPartyLookupEndpoint(lookups, kind));
            router.register(new ReverseLookupEndpoint(lookups, kind));
        }
        router.register(new PingEndpoint(core.appServices(), client, core.clock()));
    }

    /** What asks the services about unknown users and aliases of their namespaces. */
    public AppServiceQueries queries() {
        return queries;
    }

    /** What makes requests to them. */
    public AppServiceClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            sender.ifPresent(AppServiceSender::close);
        } finally {
            http.ifPresent(MatrixHttpClient::close);
        }
    }
}
