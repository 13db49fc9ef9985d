package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.server.config.ConfigException;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notary endpoints, {@code GET /_matrix/key/v2/query/{serverName}[/{keyId}]} and
 * {@code POST /_matrix/key/v2/query}: other servers' key responses as they signed them, with this
 * server's signature added; this server's own keys from itself.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class KeyNotaryApiTest {
    /** An IP literal with a port nothing listens on: a fetch of its keys fails at once, without DNS. */
    private static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");

    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");

    private static ObjectNode remember(TestHomeserver hs, long validFor) {
        long now = hs.time().nowMillis();
        ServerKeys keys =
                new ServerKeys(REMOTE, Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()), Map.of(), now + validFor);
        ObjectNode signed = JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY);
        hs.homeserver().testSeam().rememberServerKeys(signed, now);
        return signed;
    }

    private static ObjectNode ownKeys(TestHomeserver hs) {
        return (ObjectNode)
                hs.anonymous().get("/_matrix/key/v2/server").expect(200).json();
    }

    /** Checks the notary's signature with its published key and returns the response without it. */
    private static ObjectNode withoutNotarySignature(TestHomeserver hs, JsonNode response) {
        ServerName notary = ServerName.parse(hs.serverName());
        ServerKeys notaryKeys = ServerKeys.parse(ownKeys(hs), notary);
        JsonSigning.verifyWithKnownKeys((ObjectNode) response, notary.value(), notaryKeys.verifyKeys());
        ObjectNode copy = ((ObjectNode) response).deepCopy();
        ((ObjectNode) copy.get("signatures")).remove(notary.value());
        return copy;
    }

    private static String post(String serverKeys) {
        return "{\"server_keys\":" + serverKeys + "}";
    }

    @Test
    void servesAKeptResponseAsTheOriginSignedItWithItsOwnSignatureAdded(TestHomeserver hs) {
        ObjectNode signed = remember(hs, Duration.ofHours(1).toMillis());

        JsonNode viaGet = hs.anonymous()
                .get("/_matrix/key/v2/query/" + REMOTE)
                .expect(200)
                .json();
        JsonNode viaGetById = hs.anonymous()
                .get("/_matrix/key/v2/query/" + REMOTE + "/" + REMOTE_KEY.keyId())
                .expect(200)
                .json();
        JsonNode viaPost = hs.anonymous()
                .post(
                        "/_matrix/key/v2/query",
                        post("{\"" + REMOTE + "\":{\"" + REMOTE_KEY.keyId() + "\":{\"minimum_valid_until_ts\":0}}}"))
                .expect(200)
                .json();

        for (JsonNode answer : new JsonNode[] {viaGet, viaGetById, viaPost}) {
            assertThat(answer.path("server_keys")).hasSize(1);
            assertThat(withoutNotarySignature(hs, answer.path("server_keys").get(0)))
                    .isEqualTo(signed);
        }
    }

    @Test
    void answersForItselfFromItsOwnKeys(TestHomeserver hs) {
        JsonNode answer = hs.anonymous()
                .post("/_matrix/key/v2/query", post("{\"" + hs.serverName() + "\":{}}"))
                .expect(200)
                .json();

        assertThat(answer.path("server_keys")).hasSize(1);
        JsonNode own = answer.path("server_keys").get(0);
        assertThat(ServerKeys.parse(own, ServerName.parse(hs.serverName())).verifyKeys())
                .isEqualTo(ServerKeys.parse(ownKeys(hs), ServerName.parse(hs.serverName()))
                        .verifyKeys());
    }

    @Test
    void anUnreachableServerWithNothingKeptIsLeftOut(TestHomeserver hs) {
        JsonNode answer = hs.anonymous()
                .get("/_matrix/key/v2/query/127.0.0.1:2")
                .expect(200)
                .json();

        assertThat(answer.toString()).isEqualTo("{\"server_keys\":[]}");
    }

    @Test
    void anExpiredKeyIsStillServedWhenTheOriginCannotBeReached(TestHomeserver hs) {
        ObjectNode signed = remember(hs, Duration.ofMinutes(1).toMillis());
        long later = hs.time().nowMillis() + Duration.ofHours(1).toMillis();

        JsonNode answer = hs.anonymous()
                .post(
                        "/_matrix/key/v2/query",
                        post("{\"" + REMOTE + "\":{\"" + REMOTE_KEY.keyId() + "\":{\"minimum_valid_until_ts\":" + later
                                + "}}}"))
                .expect(200)
                .json();

        assertThat(answer.path("server_keys")).hasSize(1);
        assertThat(withoutNotarySignature(hs, answer.path("server_keys").get(0)))
                .isEqualTo(signed);
    }

    @Test
    void badQueriesGetMatrixErrors(TestHomeserver hs) {
        assertError(hs.anonymous().post("/_matrix/key/v2/query", "{}"), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post("/_matrix/key/v2/query", post("[]")), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post("/_matrix/key/v2/query", post("{\"a.test\":[]}")), 400, "M_BAD_JSON");
        assertError(
                hs.anonymous().post("/_matrix/key/v2/query", post("{\"a.test\":{\"ed25519:x\":5}}")),
                400,
                "M_BAD_JSON");
        assertError(
                hs.anonymous()
                        .post(
                                "/_matrix/key/v2/query",
                                post("{\"a.test\":{\"ed25519:x\":{\"minimum_valid_until_ts\":\"soon\"}}}")),
                400,
                "M_BAD_JSON");
        assertError(
                hs.anonymous().post("/_matrix/key/v2/query", post("{\"not a server!\":{}}")), 400, "M_INVALID_PARAM");
        assertError(
                hs.anonymous().post("/_matrix/key/v2/query", post("{\"a.test\":{\"nokeyid\":{}}}")),
                400,
                "M_INVALID_PARAM");
        assertError(
                hs.anonymous().get("/_matrix/key/v2/query/a.test?minimum_valid_until_ts=soon"), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get("/_matrix/key/v2/query/not%20a%20server"), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get("/_matrix/key/v2/query/a.test/nokeyid"), 400, "M_INVALID_PARAM");
    }

    @Test
    void aTrustedKeyServerWithoutKeysStopsStartUpUnlessAcceptedInsecurely() {
        assertThatThrownBy(() -> TestHomeserver.builder()
                        .config("trusted_key_servers", "[{server_name: 'notary.test'}]")
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("accept_keys_insecurely");
        assertThatThrownBy(() -> TestHomeserver.builder()
                        .config(
                                "trusted_key_servers",
                                "[{server_name: 'notary.test', verify_keys: {'ed25519:a': 'no!'}}]")
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not an ed25519 key id with a base64 verify key");
        try (TestHomeserver hs = TestHomeserver.builder()
                .config("trusted_key_servers", "[{server_name: 'notary.test', accept_keys_insecurely: true}]")
                .start()) {
            assertThat(hs.homeserver().config().serverKeys().trustedKeyServers())
                    .singleElement()
                    .satisfies(
                            notary -> assertThat(notary.acceptKeysInsecurely()).isTrue());
        }
    }

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).isEqualTo(errcode);
    }
}
