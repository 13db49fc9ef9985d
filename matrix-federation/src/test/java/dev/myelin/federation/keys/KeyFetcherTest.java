package dev.myelin.federation.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.ManualClock;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeyFetcherTest {
    private static final ServerName REMOTE = ServerName.parse("remote.example");
    private static final ServerName NOTARY = ServerName.parse("notary.example");
    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");
    private static final SigningKey NOTARY_KEY = SigningKey.generate("n1");
    private static final long START = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(START));
    private final MapKeyStore store = new MapKeyStore();
    private final Map<String, Function<OutboundRequest, OutboundResponse>> hosts = new ConcurrentHashMap<>();
    private final List<OutboundRequest> sent = Collections.synchronizedList(new ArrayList<>());

    private KeyFetcher fetcher(List<TrustedKeyServer> notaries) {
        return new KeyFetcher(
                store,
                server -> new ResolvedDestination(
                        server,
                        DiscoveryStep.EXPLICIT_PORT,
                        Optional.empty(),
                        List.of(new ResolvedDestination.Target(server.value(), 8448)),
                        server.value(),
                        server.value()),
                (request, connectHost) -> {
                    sent.add(request);
                    Function<OutboundRequest, OutboundResponse> host =
                            hosts.get(request.uri().getHost());
                    if (host == null) {
                        throw new OutboundHttpException("connection refused", null);
                    }
                    return host.apply(request);
                },
                notaries,
                clock);
    }

    /** proves: every target is tried in turn, each over a URI naming the server's certificate name. */
    @Test
    void triesEachTargetWithTheCertificateName() throws Exception {
        List<String> connected = Collections.synchronizedList(new ArrayList<>());
        KeyFetcher fetcher = new KeyFetcher(
                store,
                server -> new ResolvedDestination(
                        server,
                        DiscoveryStep.SRV,
                        Optional.empty(),
                        List.of(
                                new ResolvedDestination.Target("down.example", 8448),
                                new ResolvedDestination.Target("up.example", 443)),
                        server.value(),
                        server.value()),
                (request, connectHost) -> {
                    connected.add(connectHost + " " + request.uri());
                    if (connectHost.equals("down.example")) {
                        throw new OutboundHttpException("connection refused", null);
                    }
                    return ok(remoteKeys(START + 3_600_000));
                },
                List.of(),
                clock);

        assertThat(fetcher.find(REMOTE, REMOTE_KEY.keyId()).get(5, TimeUnit.SECONDS))
                .isPresent();
        assertThat(connected)
                .containsExactly(
                        "down.example https://remote.example:8448/_matrix/key/v2/server",
                        "up.example https://remote.example:443/_matrix/key/v2/server");
    }

    private static ObjectNode remoteKeys(long validUntil) {
        ServerKeys keys =
                new ServerKeys(REMOTE, Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()), Map.of(), validUntil);
        return JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY);
    }

    private static OutboundResponse ok(JsonNode json) {
        return new OutboundResponse(200, Map.of(), CanonicalJson.encode(json));
    }

    private static TrustedKeyServer notary() {
        return new TrustedKeyServer(NOTARY, Map.of(NOTARY_KEY.keyId(), NOTARY_KEY.verifyKey()), false);
    }

    private void notaryAnswers(ObjectNode... responses) {
        hosts.put(NOTARY.value(), request -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            var list = body.putArray("server_keys");
            for (ObjectNode r : responses) {
                list.add(r);
            }
            return ok(body);
        });
    }

    @Test
    void fetchesFromTheServerAndKeepsTheKey() {
        hosts.put(REMOTE.value(), request -> ok(remoteKeys(START + 3_600_000)));
        KeyFetcher fetcher = fetcher(List.of());

        Optional<ServerKey> key = fetcher.find(REMOTE, REMOTE_KEY.keyId()).join();

        assertThat(key).contains(new ServerKey(REMOTE_KEY.verifyKey(), START + 3_600_000));
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().method()).isEqualTo("GET");
        assertThat(sent.getFirst().uri().toString()).isEqualTo("https://remote.example:8448/_matrix/key/v2/server");
        assertThat(sent.getFirst().headers()).containsEntry("Host", List.of("remote.example"));
        assertThat(store.responses.get(REMOTE).json()).isEqualTo(remoteKeys(START + 3_600_000));

        assertThat(fetcher.find(REMOTE, REMOTE_KEY.keyId()).join()).isEqualTo(key);
        assertThat(sent).as("a kept valid key is not fetched again").hasSize(1);
    }

    @Test
    void capsValidityAtSevenDaysAfterTheFetch() {
        hosts.put(
                REMOTE.value(),
                request -> ok(remoteKeys(START + Duration.ofDays(30).toMillis())));
        Optional<ServerKey> key =
                fetcher(List.of()).find(REMOTE, REMOTE_KEY.keyId()).join();
        assertThat(key.orElseThrow().validUntilTs())
                .isEqualTo(START + Duration.ofDays(7).toMillis());
    }

    @Test
    void fetchesAgainWhenTheKeptKeyIsNotValidAtTheTimeAsked() {
        hosts.put(REMOTE.value(), request -> ok(remoteKeys(clock.nowMillis() + 1_000)));
        KeyFetcher fetcher = fetcher(List.of());
        fetcher.find(REMOTE, REMOTE_KEY.keyId()).join();
        clock.advance(Duration.ofSeconds(2));

        Optional<ServerKey> key = fetcher.find(REMOTE, REMOTE_KEY.keyId()).join();

        assertThat(sent).hasSize(2);
        assertThat(key.orElseThrow().validUntilTs()).isEqualTo(START + 3_000);
    }

    @Test
    void refusesAnAnswerNotSignedByTheServer() {
        SigningKey impostor = SigningKey.generate("r1");
        ServerKeys keys =
                new ServerKeys(REMOTE, Map.of(impostor.keyId(), REMOTE_KEY.verifyKey()), Map.of(), START + 1_000_000);
        hosts.put(REMOTE.value(), request -> ok(JsonSigning.sign(keys.toJson(), REMOTE, impostor)));

        assertThat(fetcher(List.of()).find(REMOTE, REMOTE_KEY.keyId()).join()).isEmpty();
        assertThat(store.responses).isEmpty();
    }

    @Test
    void anUnknownKeyIdIsEmptyAndErrorsDoNotFailTheFuture() {
        hosts.put(
                REMOTE.value(),
                request -> new OutboundResponse(500, Map.of(), "oops".getBytes(StandardCharsets.UTF_8)));
        assertThat(fetcher(List.of())
                        .find(REMOTE, SigningKeyId.parse("ed25519:nope"))
                        .join())
                .isEmpty();
        hosts.put(REMOTE.value(), request -> ok(JsonNodeFactory.instance.textNode("not an object")));
        assertThat(fetcher(List.of()).find(REMOTE, REMOTE_KEY.keyId()).join()).isEmpty();
    }

    @Test
    void asksTheNotaryWhenTheServerCannotBeReached() {
        notaryAnswers(JsonSigning.sign(remoteKeys(START + 60_000), NOTARY, NOTARY_KEY));

        Optional<ServerKey> key =
                fetcher(List.of(notary())).find(REMOTE, REMOTE_KEY.keyId()).join();

        assertThat(key).contains(new ServerKey(REMOTE_KEY.verifyKey(), START + 60_000));
        OutboundRequest query = sent.getLast();
        assertThat(query.method()).isEqualTo("POST");
        assertThat(query.uri().toString()).isEqualTo("https://notary.example:8448/_matrix/key/v2/query");
        assertThat(CanonicalJson.parse(query.body().orElseThrow().bytes()).toString())
                .isEqualTo("{\"server_keys\":{\"remote.example\":{}}}");
    }

    @Test
    void refusesANotaryAnswerWithoutTheNotarysSignature() {
        notaryAnswers(remoteKeys(START + 60_000));
        assertThat(fetcher(List.of(notary())).find(REMOTE, REMOTE_KEY.keyId()).join())
                .isEmpty();

        SigningKey other = SigningKey.generate("n1");
        notaryAnswers(JsonSigning.sign(remoteKeys(START + 60_000), NOTARY, other));
        assertThat(fetcher(List.of(notary())).find(REMOTE, REMOTE_KEY.keyId()).join())
                .isEmpty();
        assertThat(store.responses).isEmpty();
    }

    @Test
    void acceptsAnUnsignedNotaryAnswerOnlyWhenToldTo() {
        notaryAnswers(remoteKeys(START + 60_000));
        TrustedKeyServer insecure = new TrustedKeyServer(NOTARY, Map.of(), true);
        assertThat(fetcher(List.of(insecure)).find(REMOTE, REMOTE_KEY.keyId()).join())
                .isPresent();
    }

    @Test
    void ignoresWhatANotaryAnswersAboutOtherServers() {
        SigningKey evil = SigningKey.generate("e1");
        ServerName other = ServerName.parse("other.example");
        ServerKeys keys = new ServerKeys(other, Map.of(evil.keyId(), evil.verifyKey()), Map.of(), START + 60_000);
        notaryAnswers(JsonSigning.sign(JsonSigning.sign(keys.toJson(), other, evil), NOTARY, NOTARY_KEY));

        assertThat(fetcher(List.of(notary())).find(REMOTE, REMOTE_KEY.keyId()).join())
                .isEmpty();
        assertThat(store.responses).isEmpty();
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        hosts.put(REMOTE.value(), request -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(remoteKeys(START + 60_000));
        });
        KeyFetcher fetcher = fetcher(List.of());
        List<CompletableFuture<Optional<ServerKey>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(fetcher.find(REMOTE, REMOTE_KEY.keyId()));
        }
        release.countDown();
        for (CompletableFuture<Optional<ServerKey>> call : calls) {
            assertThat(call.get(5, TimeUnit.SECONDS)).isPresent();
        }
        assertThat(sent).hasSize(1);
    }

    @Test
    void trustedKeyServerNeedsKeysOrInsecureAcceptance() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrustedKeyServer(NOTARY, Map.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A store over maps. */
    static final class MapKeyStore implements FetchedKeyStore {
        final Map<ServerName, FetchedKeyResponse> responses = new ConcurrentHashMap<>();
        final Map<ServerName, Map<SigningKeyId, ServerKey>> keys = new ConcurrentHashMap<>();

        @Override
        public Optional<ServerKey> key(ServerName server, SigningKeyId keyId) {
            return Optional.ofNullable(keys.getOrDefault(server, Map.of()).get(keyId));
        }

        @Override
        public void save(FetchedKeyResponse response) {
            ServerName server = response.keys().serverName();
            responses.put(server, response);
            keys.computeIfAbsent(server, s -> new HashMap<>()).putAll(response.usableKeys());
        }
    }
}
