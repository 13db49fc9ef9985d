package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.keys.OldVerifyKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code old_signing_keys} and {@code key_refresh_interval}, written as Synapse configs write them. */
class ServerKeysConfigTest {
    private static final VerifyKey OLD = SigningKey.fromSeed("a", new byte[32]).verifyKey();

    private final List<String> warnings = new ArrayList<>();

    private ServerKeysConfig parse(String yaml) {
        return new ConfigLoader(warnings::add)
                .parse("homeserver.yaml", "server_name: example.org\n" + yaml, Path.of("/srv"))
                .serverKeys();
    }

    @Test
    void defaultsToNoOldKeysAndADay() {
        assertThat(parse("")).isEqualTo(new ServerKeysConfig(java.util.Map.of(), Duration.ofDays(1)));
        assertThat(parse("old_signing_keys: null\n").oldSigningKeys()).isEmpty();
    }

    @Test
    void readsSynapsesShape() {
        ServerKeysConfig config = parse("""
                key_refresh_interval: 2h
                old_signing_keys:
                  "ed25519:auto":
                    key: "%s"
                    expired_ts: 1500000000000
                  "curve9:other":
                    key: "abc"
                """.formatted(OLD.toBase64()));

        assertThat(config.keyRefreshInterval()).isEqualTo(Duration.ofHours(2));
        assertThat(config.oldSigningKeys())
                .containsExactly(
                        java.util.Map.entry(SigningKeyId.ed25519("auto"), new OldVerifyKey(OLD, 1_500_000_000_000L)));
        assertThat(warnings)
                .containsExactly(
                        "homeserver.yaml: old_signing_keys.curve9:other is ignored: only ed25519 keys are supported");
    }

    @Test
    void readsSynapsesDurationUnits() {
        assertThat(parse("key_refresh_interval: 1w\n").keyRefreshInterval()).isEqualTo(Duration.ofDays(7));
        assertThat(parse("key_refresh_interval: 1y\n").keyRefreshInterval()).isEqualTo(Duration.ofDays(365));
        assertThat(parse("key_refresh_interval: 3600000\n").keyRefreshInterval())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertRefused("key_refresh_interval: soon\n", "'key_refresh_interval' must be a duration");
        assertRefused("key_refresh_interval: 0s\n", "'key_refresh_interval' must be a positive duration");
        assertRefused("old_signing_keys: [a]\n", "'old_signing_keys' must be a mapping");
        assertRefused(
                "old_signing_keys: {auto: {key: abc, expired_ts: 1}}\n",
                "'old_signing_keys' holds 'auto', which is not a key id");
        assertRefused("old_signing_keys: {'ed25519:a': yes}\n", "'old_signing_keys.ed25519:a' must be a mapping");
        assertRefused(
                "old_signing_keys: {'ed25519:a': {expired_ts: 1}}\n", "'old_signing_keys.ed25519:a.key' is required");
        assertRefused(
                "old_signing_keys: {'ed25519:a': {key: 'AAAA', expired_ts: 1}}\n",
                "'old_signing_keys.ed25519:a.key' is not a base64 ed25519 verify key");
        assertRefused(
                "old_signing_keys: {'ed25519:a': {key: '%s'}}\n".formatted(OLD.toBase64()),
                "'old_signing_keys.ed25519:a.expired_ts' is required");
        assertRefused(
                "old_signing_keys: {'ed25519:a': {key: '%s', expired_ts: soon}}\n".formatted(OLD.toBase64()),
                "'old_signing_keys.ed25519:a.expired_ts' must be");
    }

    private void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }
}
