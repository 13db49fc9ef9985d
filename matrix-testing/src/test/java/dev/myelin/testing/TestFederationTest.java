package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests between in-process homeservers over TestFederation's transport, and its failure controls. */
class TestFederationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final URI B_VERSIONS = URI.create("https://b.test/_matrix/client/versions");

    private TestFederation federation;
    private HttpTransport fromA;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test", "c.test");
        fromA = federation.transport("a.test");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void aServersTransportReachesAnotherServerByName() throws Exception {
        OutboundResponse versions = fromA.send(OutboundRequest.get(B_VERSIONS));
        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(json(versions).get("versions").toString()).contains("v1.1");
        assertThat(federation.link("a.test", "b.test").delivered())
                .extracting(OutboundRequest::uri)
                .containsExactly(B_VERSIONS);
        assertThat(federation.link("a.test", "c.test").delivered()).isEmpty();
        assertThat(federation.server("a.test").clock())
                .isSameAs(federation.server("b.test").clock())
                .isSameAs(federation.clock());
    }

    @Test
    void requestsCarryHeadersAndBodyToTheRightServer() throws Exception {
        TestClient carol = federation.server("c.test").registerUser("carol");
        byte[] body = "{\"displayname\":\"Carol ü\"}".getBytes(StandardCharsets.UTF_8);
        OutboundResponse put = fromA.send(new OutboundRequest(
                "PUT",
                URI.create("https://c.test/_matrix/client/v3/profile/" + TestClient.encode(carol.userId())
                        + "/displayname"),
                Map.of("Authorization", List.of("Bearer " + carol.accessToken().orElseThrow())),
                Optional.of(new OutboundRequest.Body("application/json", body))));
        assertThat(put.status())
                .as(new String(put.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);

        OutboundResponse profile = fromA.send(OutboundRequest.get(
                URI.create("https://c.test/_matrix/client/v3/profile/" + TestClient.encode(carol.userId()))));
        assertThat(json(profile).get("displayname").asText()).isEqualTo("Carol ü");
        // the account lives on c.test only: b.test has no carol
        assertThat(fromA.send(OutboundRequest.get(URI.create(
                                "https://b.test/_matrix/client/v3/profile/" + TestClient.encode("@carol:b.test"))))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void unknownServersAreUnresolvable() {
        assertThatThrownBy(() ->
                        fromA.send(OutboundRequest.get(URI.create("https://elsewhere.test/_matrix/client/versions"))))
                .isInstanceOf(OutboundHttpException.class)
                .hasMessageContaining("cannot resolve elsewhere.test");
        assertThatThrownBy(() -> federation.link("a.test", "nope.test")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedLinkRefusesAndAStatusLinkAnswersWithoutReachingTheTarget() {
        federation.link("a.test", "b.test").fail();
        assertThatThrownBy(() -> fromA.send(OutboundRequest.get(B_VERSIONS)))
                .isInstanceOf(OutboundHttpException.class)
                .hasMessageContaining("refused");
        // links are one-way: b can still reach a
        assertThat(federation
                        .transport("b.test")
                        .send(OutboundRequest.get(URI.create("https://a.test/_matrix/client/versions")))
                        .status())
                .isEqualTo(200);

        federation.link("a.test", "b.test").failWithStatus(502);
        OutboundResponse bad = fromA.send(OutboundRequest.get(B_VERSIONS));
        assertThat(bad.status()).isEqualTo(502);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("M_UNKNOWN");
        assertThat(federation.link("a.test", "b.test").delivered()).isEmpty();

        federation.link("a.test", "b.test").heal();
        assertThat(fromA.send(OutboundRequest.get(B_VERSIONS)).status()).isEqualTo(200);
    }

    @Test
    void aDelayedRequestArrivesOnlyOnceTheClockHasMoved() throws Exception {
        federation.link("a.test", "b.test").delay(Duration.ofSeconds(5));
        CompletableFuture<OutboundResponse> response = sendInBackground(B_VERSIONS);
        assertThat(federation.clock().awaitSleepers(1, WAIT)).isTrue();
        federation.clock().advance(Duration.ofMillis(4_999));
        assertThat(response).isNotDone();
        assertThat(federation.link("a.test", "b.test").delivered()).isEmpty();
        federation.clock().advance(Duration.ofMillis(1));
        assertThat(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void aDroppedRequestTimesOutOnTheClockAndNeverArrives() throws Exception {
        federation.link("a.test", "b.test").drop(Duration.ofSeconds(30));
        CompletableFuture<OutboundResponse> response = sendInBackground(B_VERSIONS);
        assertThat(federation.clock().awaitSleepers(1, WAIT)).isTrue();
        federation.clock().advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> response.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(OutboundHttpException.class)
                .hasMessageContaining("timed out");
        assertThat(federation.link("a.test", "b.test").delivered()).isEmpty();
    }

    private CompletableFuture<OutboundResponse> sendInBackground(URI uri) {
        CompletableFuture<OutboundResponse> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(fromA.send(OutboundRequest.get(uri)));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static JsonNode json(OutboundResponse response) throws Exception {
        return JSON.readTree(response.body());
    }
}
