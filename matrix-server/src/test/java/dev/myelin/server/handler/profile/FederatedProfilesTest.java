package dev.myelin.server.handler.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationTransport;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.account.Profile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Remote users' profiles asked of their server, and how its answers map to the client's. */
class FederatedProfilesTest {
    private static final UserId BOB = UserId.parse("@bob:remote.test");
    private final List<OutboundRequest> sent = new CopyOnWriteArrayList<>();

    private FederatedProfiles profiles(FederationTransport transport) {
        FederationTransport recording = (request, host) -> {
            sent.add(request);
            return transport.send(request, host);
        };
        return new FederatedProfiles(new FederationClient(
                new RequestSigner(ServerName.parse("local.test"), SigningKey.fromSeed("k", new byte[32])),
                name -> new ResolvedDestination(
                        name,
                        DiscoveryStep.EXPLICIT_PORT,
                        Optional.empty(),
                        List.of(new ResolvedDestination.Target("remote.test", 8448)),
                        "remote.test:8448",
                        "remote.test"),
                recording));
    }

    private static OutboundResponse json(int status, String body) {
        return new OutboundResponse(
                status, Map.of("content-type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8));
    }

    /** proves: a remote profile is asked of the user's server, signed, and its fields come back. */
    @Test
    void asksTheUsersServer() {
        Profile profile = profiles(
                        (request, host) -> json(200, "{\"displayname\":\"Bob\",\"avatar_url\":\"mxc://r/a\"}"))
                .fetch(BOB);

        assertThat(profile).isEqualTo(new Profile(Optional.of("Bob"), Optional.of("mxc://r/a")));
        OutboundRequest request = sent.getFirst();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri().getRawPath()).isEqualTo("/_matrix/federation/v1/query/profile");
        assertThat(request.uri().getRawQuery()).isEqualTo("user_id=%40bob%3Aremote.test");
        assertThat(request.headers().get("Authorization").getFirst()).startsWith("X-Matrix ");
    }

    /** proves: the remote server's 404 is the client's 404. */
    @Test
    void aRemote404Is404() {
        assertThatThrownBy(
                        () -> profiles((request, host) -> json(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"no\"}"))
                                .fetch(BOB))
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errcode().value()).isEqualTo("M_NOT_FOUND");
                });
    }

    /** proves: a server that cannot be reached, or answers an error, is 502 for the client, never a 500. */
    @Test
    void anUnreachableOrFailingServerIs502() {
        FederationTransport down = (request, host) -> {
            throw new OutboundHttpException("connection refused", null);
        };
        assertThatThrownBy(() -> profiles(down).fetch(BOB))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(502));
        assertThatThrownBy(() -> profiles((request, host) -> json(500, "oops")).fetch(BOB))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(502));
        assertThatThrownBy(() -> profiles((request, host) -> json(200, "[]")).fetch(BOB))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
}
