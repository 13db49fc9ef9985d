package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.keys.OldVerifyKey;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.federation.keys.ServerKeyByIdEndpoint;
import dev.myelin.server.api.federation.keys.ServerKeysEndpoint;
import dev.myelin.server.config.ConfigException;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /_matrix/key/v2/server}: the server publishes its signing key, signed by itself, with
 * its old keys and a validity of one refresh interval, to anyone who asks.
 */
@ExtendWith(HomeserverExtension.class)
class ServerKeysApiTest {
    /** A fixed old key (the seed of all zeros), as an admin would copy it into old_signing_keys. */
    private static final VerifyKey OLD =
            SigningKey.fromSeed("old", new byte[32]).verifyKey();

    @Test
    void theAnswerIsSignedByTheServerWithTheKeyItPublishes(TestHomeserver hs) {
        ObjectNode answer = hs.anonymous().send(EndpointCall.of(ServerKeysEndpoint.SPEC));

        // parse checks the server name, the key encoding and the self-signature
        ServerKeys keys = ServerKeys.parse(answer, ServerName.parse(hs.serverName()));
        assertThat(keys.verifyKeys()).hasSize(1);
        assertThat(answer.path("signatures").path(hs.serverName()).properties())
                .singleElement()
                .satisfies(e -> assertThat(keys.verifyKeys()).containsKey(SigningKeyId.parse(e.getKey())));
        assertThat(keys.oldVerifyKeys()).isEmpty();
        assertThat(keys.validUntilTs())
                .isEqualTo(hs.time().nowMillis() + Duration.ofDays(1).toMillis());
    }

    @Test
    @OverrideConfig(key = "key_refresh_interval", value = "2h")
    @OverrideConfig(
            key = "old_signing_keys",
            value = "{'ed25519:old': {key: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik', expired_ts: 1500000000000}}")
    void listsOldKeysAndCountsValidityFromNow(TestHomeserver hs) {
        hs.clock().advance(Duration.ofMinutes(10));

        ObjectNode answer = hs.anonymous().send(EndpointCall.of(ServerKeysEndpoint.SPEC));

        ServerKeys keys = ServerKeys.parse(answer, ServerName.parse(hs.serverName()));
        assertThat(keys.oldVerifyKeys())
                .isEqualTo(Map.of(SigningKeyId.ed25519("old"), new OldVerifyKey(OLD, 1_500_000_000_000L)));
        assertThat(answer.path("old_verify_keys")
                        .path("ed25519:old")
                        .path("key")
                        .asText())
                .isEqualTo(OLD.toBase64());
        assertThat(keys.validUntilTs())
                .isEqualTo(hs.time().nowMillis() + Duration.ofHours(2).toMillis());
        assertThat(keys.validUntilTs()).isGreaterThan(hs.time().nowMillis());
    }

    @Test
    void theDeprecatedFormWithAKeyIdGivesTheSameAnswer(TestHomeserver hs) {
        ObjectNode byId = hs.anonymous().send(EndpointCall.of(ServerKeyByIdEndpoint.SPEC, "ed25519:whatever"));

        assertThat(byId).isEqualTo(hs.anonymous().send(EndpointCall.of(ServerKeysEndpoint.SPEC)));
        assertThat(ServerKeys.parse(byId, ServerName.parse(hs.serverName())).verifyKeys())
                .hasSize(1);
    }

    @Test
    void aBadKeyRefreshIntervalStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> TestHomeserver.builder()
                        .config("key_refresh_interval", "soon")
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'key_refresh_interval' must be a duration");
    }

    @Test
    void aBadOldSigningKeyStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> TestHomeserver.builder()
                        .config("old_signing_keys", "{'ed25519:old': {key: 'not base64!', expired_ts: 1}}")
                        .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'old_signing_keys.ed25519:old.key' is not a base64 ed25519 verify key");
    }
}
