package dev.myelin.federation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.federation.discovery.ServerNameResolver;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The federation client with a {@link FederationDomainWhitelist}: a server outside it is neither
 * resolved nor contacted, whatever the request; a server inside it is reached as usual.
 */
class FederationClientWhitelistTest {
    private static final ServerName ORIGIN = ServerName.parse("origin.test");
    private static final ServerName ALLOWED = ServerName.parse("allowed.test");
    private static final ServerName OTHER = ServerName.parse("other.test");
    private static final SigningKey KEY = SigningKey.fromSeed("k1", new byte[32]);
    private static final EndpointSpec<ObjectNode, ObjectNode> ECHO =
            EndpointSpec.put("/_matrix/federation/v1/echo/{word}", ObjectNode.class, ObjectNode.class);

    private final List<ServerName> resolved = new CopyOnWriteArrayList<>();
    private final List<OutboundRequest> sent = new CopyOnWriteArrayList<>();

    private final ServerNameResolver resolver = name -> {
        resolved.add(name);
        return new ResolvedDestination(
                name,
                DiscoveryStep.DEFAULT_PORT,
                Optional.empty(),
                List.of(new ResolvedDestination.Target(name.host(), 8448)),
                name.value(),
                name.host());
    };

    private final FederationTransport transport = (request, connectHost) -> {
        sent.add(request);
        return new OutboundResponse(200, Map.of(), "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    };

    private FederationClient client(FederationDomainWhitelist whitelist) {
        return new FederationClient(new RequestSigner(ORIGIN, KEY), resolver, transport, whitelist);
    }

    @Test
    void aDeniedDestinationIsNeitherResolvedNorContacted() {
        FederationClient client = client(FederationDomainWhitelist.only(Set.of(ALLOWED)));

        assertThatThrownBy(() -> client.send(OTHER, "GET", "/_matrix/federation/v1/version", Optional.empty()))
                .isInstanceOfSatisfying(
                        FederationDeniedException.class,
                        e -> assertThat(e.server()).isEqualTo(OTHER))
                .hasMessage("Federation denied with other.test.");
        assertThatThrownBy(() -> client.send(OTHER, EndpointCall.of(ECHO, JsonNodeFactory.instance.objectNode(), "x")))
                .as("typed calls are denied the same way, not turned into an error answer")
                .isInstanceOf(FederationDeniedException.class);
        assertThatThrownBy(() -> client.send(
                        OTHER,
                        "PUT",
                        "/_matrix/federation/v1/send/1",
                        Optional.of(JsonNodeFactory.instance.objectNode())))
                .isInstanceOf(FederationDeniedException.class);

        assertThat(resolved).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void anAllowedDestinationIsReachedAsUsual() {
        FederationClient client = client(FederationDomainWhitelist.only(Set.of(ALLOWED)));

        ObjectNode answer = client.send(ALLOWED, EndpointCall.of(ECHO, JsonNodeFactory.instance.objectNode(), "x"));

        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(resolved).containsExactly(ALLOWED);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().uri().getHost()).isEqualTo("allowed.test");
        assertThat(sent.getFirst().headers().get("Authorization").getFirst()).contains("origin=\"origin.test\"");
    }

    @Test
    void anEmptyWhitelistSendsNothingAnywhere() {
        FederationClient client = client(FederationDomainWhitelist.only(Set.of()));

        for (ServerName destination : List.of(ALLOWED, OTHER, ORIGIN)) {
            assertThatThrownBy(
                            () -> client.send(destination, "GET", "/_matrix/federation/v1/version", Optional.empty()))
                    .isInstanceOf(FederationDeniedException.class);
        }
        assertThat(resolved).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void withoutAWhitelistEveryDestinationIsReached() {
        FederationClient client = new FederationClient(new RequestSigner(ORIGIN, KEY), resolver, transport);

        assertThat(client.whitelist()).isEqualTo(FederationDomainWhitelist.everyone());
        client.send(OTHER, "GET", "/_matrix/federation/v1/version", Optional.empty());
        client.send(ALLOWED, "GET", "/_matrix/federation/v1/version", Optional.empty());
        assertThat(resolved).containsExactly(OTHER, ALLOWED);
        assertThat(sent).hasSize(2);
    }

    @Test
    void theClientNamesItsWhitelist() {
        FederationDomainWhitelist only = FederationDomainWhitelist.only(Set.of(ALLOWED));
        assertThat(client(only).whitelist()).isEqualTo(only);
    }
}
