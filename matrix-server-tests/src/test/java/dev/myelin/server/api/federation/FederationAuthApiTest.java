package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inbound federation requests must carry an X-Matrix signature by a key of their origin; the first
 * endpoint that asks for one is the profile query, {@code GET /_matrix/federation/v1/query/profile}.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class FederationAuthApiTest {
    /** An IP literal with a port nothing listens on: a fetch of its keys fails at once, without DNS. */
    private static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");

    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");

    private static void trustRemote(TestHomeserver hs, SigningKey key, long validFor) {
        long now = hs.time().nowMillis();
        ServerKeys keys = new ServerKeys(REMOTE, Map.of(key.keyId(), key.verifyKey()), Map.of(), now + validFor);
        ObjectNode signed = JsonSigning.sign(keys.toJson(), REMOTE, key);
        hs.homeserver().testSeam().rememberServerKeys(signed, now);
    }

    private static TestResponse signedGet(TestHomeserver hs, SigningKey key, String uri) {
        String header = new RequestSigner(REMOTE, key)
                .sign("GET", uri, ServerName.parse(hs.serverName()))
                .format();
        return hs.request("GET", uri, null, List.of(Map.entry("Authorization", header)));
    }

    private static String profileUri(String userId, String field) {
        return "/_matrix/federation/v1/query/profile?user_id=" + TestClient.encode(userId)
                + (field == null ? "" : "&field=" + field);
    }

    @Test
    void aSignedProfileQueryGetsTheLocalUsersProfile(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put("/_matrix/client/v3/profile/" + alice.userId() + "/displayname", Map.of("displayname", "Alice"))
                .expect(200);
        trustRemote(hs, REMOTE_KEY, Duration.ofHours(1).toMillis());

        assertThat(signedGet(hs, REMOTE_KEY, profileUri(alice.userId(), null))
                        .expect(200)
                        .json()
                        .toString())
                .isEqualTo("{\"displayname\":\"Alice\"}");
        assertThat(signedGet(hs, REMOTE_KEY, profileUri(alice.userId(), "displayname"))
                        .expect(200)
                        .json()
                        .toString())
                .isEqualTo("{\"displayname\":\"Alice\"}");
        assertThat(signedGet(hs, REMOTE_KEY, profileUri(alice.userId(), "avatar_url"))
                        .expect(200)
                        .json()
                        .toString())
                .as("a field that is not set is left out")
                .isEqualTo("{}");
    }

    @Test
    void badProfileQueriesGetMatrixErrors(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        trustRemote(hs, REMOTE_KEY, Duration.ofHours(1).toMillis());

        TestResponse unknown = signedGet(hs, REMOTE_KEY, profileUri("@nobody:" + hs.serverName(), null));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");

        TestResponse remote = signedGet(hs, REMOTE_KEY, profileUri("@bob:remote.test", null));
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.errcode()).isEqualTo("M_INVALID_PARAM");

        TestResponse invalid = signedGet(hs, REMOTE_KEY, profileUri("not-a-user", null));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errcode()).isEqualTo("M_INVALID_PARAM");

        TestResponse field = signedGet(hs, REMOTE_KEY, profileUri(alice.userId(), "shoe_size"));
        assertThat(field.status()).isEqualTo(400);
        assertThat(field.errcode()).isEqualTo("M_INVALID_PARAM");

        TestResponse missing = signedGet(hs, REMOTE_KEY, "/_matrix/federation/v1/query/profile");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");
    }

    @Test
    void anUnsignedRequestIsUnauthorized(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");

        TestResponse response = hs.anonymous().get(profileUri(alice.userId(), null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_UNAUTHORIZED");
        assertThat(response.json().path("error").asText()).isEqualTo("Missing X-Matrix Authorization header");

        TestResponse bearer = hs.request(
                "GET",
                profileUri(alice.userId(), null),
                null,
                alice.accessToken().orElseThrow());
        assertThat(bearer.status()).as("an access token is no server signature").isEqualTo(401);
        assertThat(bearer.errcode()).isEqualTo("M_UNAUTHORIZED");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        trustRemote(hs, REMOTE_KEY, Duration.ofHours(1).toMillis());
        SigningKey forged = SigningKey.generate("r1");

        TestResponse response = signedGet(hs, forged, profileUri(alice.userId(), null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_UNAUTHORIZED");
        assertThat(response.json().path("error").asText()).startsWith("Invalid signature from 127.0.0.1:1");
    }

    @Test
    void aSignatureOverAnotherUriIsRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        trustRemote(hs, REMOTE_KEY, Duration.ofHours(1).toMillis());
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign("GET", profileUri("@other:" + hs.serverName(), null), ServerName.parse(hs.serverName()))
                .format();

        TestResponse response =
                hs.request("GET", profileUri(alice.userId(), null), null, List.of(Map.entry("Authorization", header)));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_UNAUTHORIZED");
    }

    @Test
    void aRequestForAnotherDestinationIsRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        trustRemote(hs, REMOTE_KEY, Duration.ofHours(1).toMillis());
        String uri = profileUri(alice.userId(), null);
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign("GET", uri, ServerName.parse("elsewhere.test"))
                .format();

        TestResponse response = hs.request("GET", uri, null, List.of(Map.entry("Authorization", header)));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("error").asText()).startsWith("Destination mismatch");
    }

    @Test
    void aKeyPastItsValidityIsNotUsed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        trustRemote(hs, REMOTE_KEY, Duration.ofMinutes(5).toMillis());
        assertThat(signedGet(hs, REMOTE_KEY, profileUri(alice.userId(), null)).status())
                .isEqualTo(200);

        hs.clock().advance(Duration.ofMinutes(6));

        // the server then tries to fetch the origin's keys afresh, which cannot work here
        TestResponse response = signedGet(hs, REMOTE_KEY, profileUri(alice.userId(), null));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_UNAUTHORIZED");
    }

    @Test
    void theVersionNeedsNoSignature(TestHomeserver hs) {
        TestResponse response =
                hs.anonymous().get("/_matrix/federation/v1/version").expect(200);

        assertThat(response.json().path("server").path("name").asText()).isEqualTo("Myelin");
        assertThat(response.json().path("server").path("version").isTextual()).isTrue();
    }
}
