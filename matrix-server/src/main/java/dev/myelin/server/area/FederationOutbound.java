package dev.myelin.server.area;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.discovery.FederationDns;
import dev.myelin.federation.discovery.ServerDiscovery;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.server.config.OutboundSettings;

/**
 * How this server reaches other servers: discovery of where they are, the outbound HTTP client
 * with the configured blocklist and trusted CAs, and the federation client that signs requests.
 * Built before the areas that talk to other servers, which share it.
 *
 * @param discovery server name resolution
 * @param wellKnown the client discovery fetches {@code .well-known} with
 * @param http the outbound client for federation (blocklist, CAs)
 * @param client signed federation requests
 */
public record FederationOutbound(
        ServerDiscovery discovery, MatrixHttpClient wellKnown, MatrixHttpClient http, FederationClient client)
        implements AutoCloseable {

    public static FederationOutbound create(
            Core core, SigningKey signingKey, OutboundSettings outbound, FederationDns dns) {
        OutboundConfig config = OutboundConfig.defaults()
                .withBlocklist(IpBlocklist.of(outbound.blockedRanges(), outbound.allowedRanges()))
                .withTrust(outbound.trust());
        MatrixHttpClient wellKnown = ServerDiscovery.wellKnownClient(config, dns);
        ServerDiscovery discovery = new ServerDiscovery(wellKnown, dns, core.clock());
        MatrixHttpClient http = MatrixHttpClient.create(config, dns);
        FederationClient client =
                new FederationClient(new RequestSigner(core.serverName(), signingKey), discovery, http::send);
        return new FederationOutbound(discovery, wellKnown, http, client);
    }

    /** Stops both HTTP clients (they start their threads only when first used). */
    @Override
    public void close() {
        try {
            http.close();
        } finally {
            wellKnown.close();
        }
    }
}
