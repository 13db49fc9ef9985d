package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code federation_domain_whitelist}: a signed request from a listed server is answered as usual,
 * one from any other server is 403 {@code M_FORBIDDEN} even when its keys are known, and a client
 * asking for something only an unlisted server has (a remote profile) gets the same 403.
 */
class FederationDomainWhitelistApiTest {
    private static final ServerName ALLOWED = ServerName.parse("allowed.test");
    private static final ServerName OTHER = ServerName.parse("other.test");
    private static final SigningKey ALLOWED_KEY = SigningKey.generate("a1");
    private static final SigningKey OTHER_KEY = SigningKey.generate("o1");

    private static TestHomeserver whitelisting(String whitelist) {
        return TestHomeserver.builder()
                .config("federation_domain_whitelist", whitelist)
                .start();
    }

    /** Puts {@code server}'s key into the store, as if fetched: no request is refused for want of it. */
    private static void knowKeys(TestHomeserver hs, ServerName server, SigningKey key) {
        long now = hs.time().nowMillis();
        ServerKeys keys = new ServerKeys(
                server,
                Map.of(key.keyId(), key.verifyKey()),
                Map.of(),
                now + Duration.ofHours(1).toMillis());
        ObjectNode signed = JsonSigning.sign(keys.toJson(), server, key);
        hs.homeserver().testSeam().rememberServerKeys(signed, now);
    }

    private static String header(TestHomeserver hs, ServerName origin, SigningKey key, String uri) {
        return new RequestSigner(origin, key)
                .sign("GET", uri, ServerName.parse(hs.serverName()))
                .format();
    }

    private static TestResponse signedGet(TestHomeserver hs, ServerName origin, SigningKey key, String uri) {
        return hs.request("GET", uri, null, List.of(Map.entry("Authorization", header(hs, origin, key, uri))));
    }

    private static String profileUri(String userId) {
        return "/_matrix/federation/v1/query/profile?user_id=" + TestClient.encode(userId);
    }

    private static void assertDenied(TestResponse response, ServerName server) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().toString())
                .isEqualTo("{\"errcode\":\"M_FORBIDDEN\",\"error\":\"Federation denied with " + server + ".\"}");
    }

    @Test
    void aListedServerIsAnsweredAndAnyOtherIsForbidden() {
        try (TestHomeserver hs = whitelisting("[allowed.test]")) {
            TestClient alice = hs.registerUser("alice");
            alice.put("/_matrix/client/v3/profile/" + alice.userId() + "/displayname", Map.of("displayname", "Alice"))
                    .expect(200);
            knowKeys(hs, ALLOWED, ALLOWED_KEY);
            knowKeys(hs, OTHER, OTHER_KEY);

            TestResponse allowed = signedGet(hs, ALLOWED, ALLOWED_KEY, profileUri(alice.userId()))
                    .expect(200);
            assertThat(allowed.json().toString()).isEqualTo("{\"displayname\":\"Alice\"}");

            assertDenied(signedGet(hs, OTHER, OTHER_KEY, profileUri(alice.userId())), OTHER);
        }
    }

    @Test
    void anUnlistedServerIsForbiddenBeforeItsSignatureIsChecked() {
        try (TestHomeserver hs = whitelisting("[allowed.test]")) {
            TestClient alice = hs.registerUser("alice");
            // other.test's keys are unknown and cannot be fetched: the refusal comes first
            assertDenied(signedGet(hs, OTHER, OTHER_KEY, profileUri(alice.userId())), OTHER);
            TestResponse forged = hs.request(
                    "GET",
                    profileUri(alice.userId()),
                    null,
                    List.of(Map.entry("Authorization", header(hs, OTHER, ALLOWED_KEY, "/elsewhere"))));
            assertDenied(forged, OTHER);
        }
    }

    @Test
    void aTabAfterTheSchemeDoesNotGetPastTheWhitelist() {
        try (TestHomeserver hs = whitelisting("[allowed.test]")) {
            TestClient alice = hs.registerUser("alice");
            knowKeys(hs, ALLOWED, ALLOWED_KEY);
            knowKeys(hs, OTHER, OTHER_KEY);
            String uri = profileUri(alice.userId());

            String allowedTab = header(hs, ALLOWED, ALLOWED_KEY, uri).replaceFirst("^X-Matrix ", "X-Matrix\t");
            assertThat(hs.request("GET", uri, null, List.of(Map.entry("Authorization", allowedTab)))
                            .status())
                    .as("such a header is read as X-Matrix")
                    .isEqualTo(200);

            String otherTab = header(hs, OTHER, OTHER_KEY, uri).replaceFirst("^X-Matrix ", "X-Matrix\t");
            assertDenied(hs.request("GET", uri, null, List.of(Map.entry("Authorization", otherTab))), OTHER);
        }
    }

    @Test
    void anUnsignedRequestIsStillUnauthorized() {
        try (TestHomeserver hs = whitelisting("[allowed.test]")) {
            TestClient alice = hs.registerUser("alice");
            TestResponse response = hs.anonymous().get(profileUri(alice.userId()));
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.errcode()).isEqualTo("M_UNAUTHORIZED");
            assertThat(hs.anonymous().get("/_matrix/federation/v1/version").status())
                    .as("endpoints without signatures are not federation with anyone")
                    .isEqualTo(200);
        }
    }

    @Test
    void anEmptyWhitelistForbidsEveryServer() {
        try (TestHomeserver hs = whitelisting("[]")) {
            TestClient alice = hs.registerUser("alice");
            knowKeys(hs, ALLOWED, ALLOWED_KEY);
            assertDenied(signedGet(hs, ALLOWED, ALLOWED_KEY, profileUri(alice.userId())), ALLOWED);
            assertDenied(alice.get("/_matrix/client/v3/profile/@someone:allowed.test"), ALLOWED);
        }
    }

    @Test
    void withoutAWhitelistEveryServerIsAnswered() {
        try (TestHomeserver hs = TestHomeserver.builder().start()) {
            TestClient alice = hs.registerUser("alice");
            knowKeys(hs, OTHER, OTHER_KEY);
            assertThat(signedGet(hs, OTHER, OTHER_KEY, profileUri(alice.userId()))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aClientAskingForAnUnlistedServersProfileIsForbidden() {
        try (TestHomeserver hs = whitelisting("[allowed.test]")) {
            TestClient alice = hs.registerUser("alice");

            assertDenied(alice.get("/_matrix/client/v3/profile/@someone:other.test"), OTHER);
            assertDenied(alice.get("/_matrix/client/v3/profile/@someone:other.test/displayname"), OTHER);
            assertDenied(
                    alice.get("/_matrix/client/v3/profile/@someone:other.test:8448"),
                    ServerName.parse("other.test:8448"));

            // a listed server is asked; here it cannot be reached, which is another error
            TestResponse listed = alice.get("/_matrix/client/v3/profile/@someone:allowed.test");
            assertThat(listed.status()).isEqualTo(502);
            assertThat(listed.errcode()).isEqualTo("M_UNKNOWN");
        }
    }
}
