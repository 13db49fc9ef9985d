package dev.myelin.server.area;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.backoff.DestinationBackoff;
import dev.myelin.federation.backoff.FederationRetryConfig;
import dev.myelin.federation.backoff.RetryJitter;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.client.FederationTransport;
import dev.myelin.federation.discovery.FederationDns;
import dev.myelin.federation.discovery.ServerDiscovery;
import dev.myelin.federation.discovery.ServerNameResolver;
import dev.myelin.federation.keys.KeyFetcher;
import dev.myelin.federation.keys.TrustedKeyServer;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.federation.sender.TransactionTransport;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.client.TrustedCertificates;
import dev.myelin.server.FederationNetwork;
import dev.myelin.server.config.FederationSettings;
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.handler.federation.StoredFetchedKeys;
import dev.myelin.server.handler.federation.StoredOutbox;
import dev.myelin.server.handler.federation.StoredRetryTimings;
import dev.myelin.storage.federation.DestinationRetryStore;
import dev.myelin.storage.federation.OutboxStore;
import dev.myelin.storage.serverkeys.ServerKeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How this server reaches other servers: discovery of where they are, the outbound HTTP clients
 * (the configured blocklist, trusted CAs and certificate checks), the federation client that signs
 * requests, each destination's backoff and the transaction queue. Built before the areas that
 * talk to other servers, which share it; {@link #start()} resumes the queue once the server runs.
 *
 * @param resolver where other servers are
 * @param transport one request to one target, for unsigned requests (key fetching)
 * @param client signed federation requests, minding each destination's backoff
 * @param backoff each destination's backoff, kept in the database
 * @param sender the outgoing transaction queue, kept in the database
 * @param serverKeys other servers' keys as fetched
 * @param keys fetches other servers' keys (from them, then from the trusted key servers)
 * @param resources the HTTP clients, closed with this
 */
public record FederationOutbound(
        ServerNameResolver resolver,
        FederationTransport transport,
        FederationClient client,
        DestinationBackoff backoff,
        TransactionSender sender,
        ServerKeyStore serverKeys,
        KeyFetcher keys,
        List<AutoCloseable> resources)
        implements AutoCloseable {

    public FederationOutbound {
        resources = List.copyOf(resources);
    }

    /**
     * @param network when present, other servers are reached through it instead of DNS and sockets
     */
    public static FederationOutbound create(
            Core core,
            SigningKey signingKey,
            OutboundSettings outbound,
            FederationSettings settings,
            FederationRetryConfig retry,
            List<TrustedKeyServer> trustedKeyServers,
            FederationDns dns,
            Optional<FederationNetwork> network) {
        List<AutoCloseable> resources = new ArrayList<>();
        ServerNameResolver resolver;
        FederationTransport transport;
        if (network.isPresent()) {
            resolver = network.get().resolver();
            transport = network.get().transport();
        } else {
            OutboundConfig verified = noRedirects(OutboundConfig.defaults()
                    .withBlocklist(IpBlocklist.of(outbound.blockedRanges(), outbound.allowedRanges()))
                    .withTrust(outbound.trust()));
            OutboundConfig unverified = verified.withTrust(TrustedCertificates.unverified());
            MatrixHttpClient http = MatrixHttpClient.create(verified, dns);
            MatrixHttpClient wellKnown = ServerDiscovery.wellKnownClient(verified, dns);
            resources.add(http);
            resources.add(wellKnown);
            HttpTransport wellKnownTransport = wellKnown;
            transport = FederationTransport.over(request -> http);
            if (!settings.verifyCertificates()
                    || !settings.certificateVerificationWhitelist().isEmpty()) {
                // federation_verify_certificates: false, or hosts whose certificates are not checked
                MatrixHttpClient httpUnchecked = MatrixHttpClient.create(unverified, dns);
                MatrixHttpClient wellKnownUnchecked = ServerDiscovery.wellKnownClient(unverified, dns);
                resources.add(httpUnchecked);
                resources.add(wellKnownUnchecked);
                transport = FederationTransport.over(
                        request -> settings.verifiesCertificateOf(request.uri().getHost()) ? http : httpUnchecked);
                wellKnownTransport =
                        request -> (settings.verifiesCertificateOf(request.uri().getHost())
                                        ? wellKnown
                                        : wellKnownUnchecked)
                                .send(request);
            }
            resolver = new ServerDiscovery(wellKnownTransport, dns, core.clock());
        }
        FederationClient unchecked = new FederationClient(
                new RequestSigner(core.serverName(), signingKey), resolver, transport, settings.domainWhitelist());
        DestinationBackoff backoff = new DestinationBackoff(
                retry,
                core.clock(),
                new StoredRetryTimings(new DestinationRetryStore(core.database())),
                RetryJitter.UNIFORM_0_8_TO_1_4);
        // the queue begins an attempt per transaction itself; other requests go through the backoff here
        TransactionSender sender = new TransactionSender(
                core.serverName(),
                new StoredOutbox(new OutboxStore(core.database())),
                backoff,
                TransactionTransport.over(unchecked),
                core.clock());
        ServerKeyStore serverKeys = new ServerKeyStore(core.database());
        FederationDomainWhitelist whitelist = settings.domainWhitelist();
        ServerNameResolver all = resolver;
        // keys are fetched without the federation client, whose whitelist check would stop them
        ServerNameResolver whitelisted = server -> {
            whitelist.check(server);
            return all.resolve(server);
        };
        KeyFetcher keys = new KeyFetcher(
                new StoredFetchedKeys(serverKeys), whitelisted, transport, trustedKeyServers, core.clock());
        return new FederationOutbound(
                resolver, transport, unchecked.withBackoff(backoff), backoff, sender, serverKeys, keys, resources);
    }

    /**
     * A signed request is for its destination only: an answer redirecting elsewhere is an answer,
     * not a reason to send the request (and its signature) on. {@code .well-known} redirects are
     * followed by discovery itself.
     */
    private static OutboundConfig noRedirects(OutboundConfig config) {
        return new OutboundConfig(
                config.connectTimeout(),
                config.requestTimeout(),
                config.idleTimeout(),
                config.maxRequestBytes(),
                config.maxResponseBytes(),
                false,
                0,
                config.blocklist(),
                config.proxy(),
                config.userAgent(),
                config.instances(),
                config.trust());
    }

    /** Resumes sending what a restart left in the outbox. */
    public void start() {
        sender.start();
    }

    /** Stops the queue (what is queued stays in the outbox) and the HTTP clients. */
    @Override
    public void close() {
        sender.close();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing one client must not keep the others open
            }
        }
    }
}
