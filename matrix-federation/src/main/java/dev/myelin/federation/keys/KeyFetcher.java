package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.cache.FutureCache;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SignatureVerificationException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.auth.ServerKeyLookup;
import dev.myelin.federation.client.FederationTransport;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.federation.discovery.ServerNameResolver;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds other servers' signing keys: from the {@link FetchedKeyStore} when a kept key is valid at
 * the time asked about, else from the server itself ({@code GET /_matrix/key/v2/server}), else
 * from each trusted notary in turn ({@code POST /_matrix/key/v2/query}). Every answer is checked
 * with {@link ServerKeys#parse} (signed by the server with a key it lists) and, from a notary, for
 * the notary's signature with its configured keys; what passes is kept in the store.
 *
 * <p>Callers asking about the same server while a fetch from it is in flight share that fetch. A
 * current key counts as valid until {@link ServerKeys#trustedUntil} (at most seven days after it
 * was fetched), an old key until its {@code expired_ts}; all time comes from the {@link Clock}.
 *
 * <p>Requests go to each target of the server's {@link ResolvedDestination} in turn, over
 * {@code https} with the TLS name and {@code Host} header discovery gives (a {@link
 * FederationTransport} connects to the target while TLS checks that name).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Retrieving server keys</a>
 */
public final class KeyFetcher implements ServerKeyLookup {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFetcher.class);

    private final FetchedKeyStore store;
    private final ServerNameResolver resolver;
    private final FederationTransport transport;
    private final List<TrustedKeyServer> notaries;
    private final Clock clock;
    private final FutureCache<ServerName, Boolean> originFetches;
    private final FutureCache<ServerName, Boolean> notaryFetches;

    /**
     * A fetcher.
     *
     * @param store where fetched keys are kept and looked up first
     * @param resolver where a server listens
     * @param transport the outbound HTTP client (with the IP blocklist)
     * @param notaries the trusted key servers, asked in order when a server cannot be asked itself
     * @param clock the time keys must be valid at
     */
    public KeyFetcher(
            FetchedKeyStore store,
            ServerNameResolver resolver,
            FederationTransport transport,
            List<TrustedKeyServer> notaries,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.notaries = List.copyOf(notaries);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.originFetches =
                FutureCache.builder("server-key-fetch").clock(clock).build();
        this.notaryFetches =
                FutureCache.builder("server-key-notary-fetch").clock(clock).build();
    }

    /** The key valid now, as {@link #find(ServerName, SigningKeyId, long)} at the clock's time. */
    @Override
    public CompletableFuture<Optional<ServerKey>> find(ServerName server, SigningKeyId keyId) {
        return find(server, keyId, clock.nowMillis());
    }

    /**
     * The key {@code keyId} of {@code server} as known once the store, the server and the notaries
     * were asked, fetching only while the key known is missing or not valid at {@code neededAt}.
     * The answer may be a key no longer valid at {@code neededAt} when nothing better was found;
     * the caller checks its validity. The future does not fail: a fetch that fails is logged and
     * the next source asked.
     */
    public CompletableFuture<Optional<ServerKey>> find(ServerName server, SigningKeyId keyId, long neededAt) {
        Optional<ServerKey> stored = store.key(server, keyId);
        if (validAt(stored, neededAt)) {
            return CompletableFuture.completedFuture(stored);
        }
        return shared(originFetches, server, () -> fetchFromOrigin(server)).thenCompose(ignored -> {
            Optional<ServerKey> fromOrigin = store.key(server, keyId);
            if (validAt(fromOrigin, neededAt) || notaries.isEmpty()) {
                return CompletableFuture.completedFuture(fromOrigin);
            }
            return shared(notaryFetches, server, () -> fetchFromNotaries(server))
                    .thenApply(none -> store.key(server, keyId));
        });
    }

    /**
     * Fetches {@code server}'s keys from the server itself now and keeps them, whatever is stored.
     *
     * @return the checked response
     * @throws KeyFetchException when the server cannot be asked or its answer is not valid
     */
    public FetchedKeyResponse fetchFromServer(ServerName server) {
        OutboundResponse response = send(server, EndpointCall.of(FederationEndpoints.SERVER_KEYS));
        JsonNode json = json(server, response);
        ServerKeys keys;
        try {
            keys = ServerKeys.parse(json, server);
        } catch (InvalidServerKeysException e) {
            throw new KeyFetchException(server + ": " + e.getMessage(), e);
        }
        FetchedKeyResponse fetched = new FetchedKeyResponse(keys, (ObjectNode) json, clock.nowMillis());
        store.save(fetched);
        return fetched;
    }

    /**
     * Asks {@code notary} for {@code server}'s keys now and keeps every checked answer.
     *
     * @return the checked answers for {@code server}, possibly none
     * @throws KeyFetchException when the notary cannot be asked or its answer is not valid
     */
    public List<FetchedKeyResponse> fetchFromNotary(TrustedKeyServer notary, ServerName server) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("server_keys").putObject(server.value());
        OutboundResponse response = send(notary.serverName(), EndpointCall.of(FederationEndpoints.KEY_QUERY, body));
        JsonNode json = json(notary.serverName(), response);
        JsonNode list = json.get("server_keys");
        if (list == null || !list.isArray()) {
            throw new KeyFetchException(notary.serverName() + ": notary answer has no server_keys list");
        }
        List<FetchedKeyResponse> out = new ArrayList<>();
        for (JsonNode entry : list) {
            if (!(entry instanceof ObjectNode object)) {
                throw new KeyFetchException(notary.serverName() + ": notary answer lists a non-object");
            }
            JsonNode name = object.get("server_name");
            if (name == null || !server.value().equals(name.asText())) {
                // only what was asked for is taken: a notary cannot plant keys for other servers
                continue;
            }
            try {
                ServerKeys keys = ServerKeys.parse(object, server);
                if (!notary.verifyKeys().isEmpty()) {
                    JsonSigning.verifyWithKnownKeys(object, notary.serverName().value(), notary.verifyKeys());
                }
                FetchedKeyResponse fetched = new FetchedKeyResponse(keys, object, clock.nowMillis());
                store.save(fetched);
                out.add(fetched);
            } catch (InvalidServerKeysException | SignatureVerificationException e) {
                throw new KeyFetchException(notary.serverName() + " about " + server + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private Boolean fetchFromOrigin(ServerName server) {
        try {
            fetchFromServer(server);
            return true;
        } catch (RuntimeException e) {
            LOG.info("Failed to fetch the keys of {} from itself: {}", server, e.getMessage());
            return false;
        }
    }

    private Boolean fetchFromNotaries(ServerName server) {
        for (TrustedKeyServer notary : notaries) {
            try {
                if (!fetchFromNotary(notary, server).isEmpty()) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.info("Failed to fetch the keys of {} from {}: {}", server, notary.serverName(), e.getMessage());
            }
        }
        return false;
    }

    /** One fetch per server at a time; it is forgotten once done, the store keeping its result. */
    private static CompletableFuture<Boolean> shared(
            FutureCache<ServerName, Boolean> fetches, ServerName server, java.util.function.Supplier<Boolean> fetch) {
        CompletableFuture<Boolean> future = fetches.get(server, s -> fetch.get());
        return future.whenComplete((done, error) -> fetches.invalidate(server)).exceptionally(error -> false);
    }

    private OutboundResponse send(ServerName server, EndpointCall<?, ?> call) {
        ResolvedDestination destination;
        try {
            destination = resolver.resolve(server);
        } catch (RuntimeException e) {
            throw new KeyFetchException(server + " cannot be resolved: " + e.getMessage(), e);
        }
        try {
            Optional<OutboundRequest.Body> body = call.hasBody()
                    ? Optional.of(new OutboundRequest.Body("application/json", call.bodyBytes()))
                    : Optional.empty();
            return transport.sendToDestination(destination, call.method(), call.uri(), Map.of(), body);
        } catch (FederationUnreachableException e) {
            throw new KeyFetchException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KeyFetchException(server + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private static JsonNode json(ServerName server, OutboundResponse response) {
        if (response.status() != 200) {
            throw new KeyFetchException(server + " answered " + response.status());
        }
        try {
            return CanonicalJson.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new KeyFetchException(server + " answered with invalid JSON: " + e.getMessage(), e);
        }
    }

    private static boolean validAt(Optional<ServerKey> key, long at) {
        return key.isPresent() && key.get().validUntilTs() >= at;
    }
}
