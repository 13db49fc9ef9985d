package dev.myelin.server.area;

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
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.handler.appservice.AppServiceClient;
import dev.myelin.server.handler.appservice.AppServices;
import dev.myelin.server.handler.appservice.ThirdPartyLookups;
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
    private final AppServices services;
    private final AppServiceClient client;
    private final Optional<MatrixHttpClient> http;

    private AppServiceArea(AppServices services, AppServiceClient client, Optional<MatrixHttpClient> http) {
        this.services = services;
        this.client = client;
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
        return new AppServiceArea(core.appServices(), client, http);
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

    /** The registered services. */
    public AppServices services() {
        return services;
    }

    /** What makes requests to them. */
    public AppServiceClient client() {
        return client;
    }

    @Override
    public void close() {
        http.ifPresent(MatrixHttpClient::close);
    }
}
