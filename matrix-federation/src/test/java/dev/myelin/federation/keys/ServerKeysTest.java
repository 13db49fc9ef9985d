package dev.myelin.federation.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Publishing this server's keys with {@link ServerKeyPublisher} and reading another's with {@link ServerKeys#parse}. */
class ServerKeysTest {
    private static final SigningKey KEY = SigningKey.fromSeed("key1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final VerifyKey OLD =
            SigningKey.fromSeed("old", new byte[32]).verifyKey();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final ServerKeyPublisher publisher = new ServerKeyPublisher(
            SERVER,
            KEY,
            Map.of(SigningKeyId.ed25519("old"), new OldVerifyKey(OLD, 1_500_000_000_000L)),
            Duration.ofHours(6),
            clock);

    @Test
    void publishesTheSigningKeyOldKeysAndAValidityOneIntervalAhead() {
        ObjectNode response = publisher.response();

        assertThat(CanonicalJson.encodeToString(response))
                .isEqualTo("{\"old_verify_keys\":{\"ed25519:old\":{\"expired_ts\":1500000000000,\"key\":\""
                        + OLD.toBase64() + "\"}},\"server_name\":\"example.org\",\"signatures\":{\"example.org\":"
                        + "{\"ed25519:key1\":\""
                        + JsonSigning.signature(publisher.keys().toJson(), KEY) + "\"}},"
                        + "\"valid_until_ts\":"
                        + (NOW.toEpochMilli() + Duration.ofHours(6).toMillis())
                        + ",\"verify_keys\":{\"ed25519:key1\":{\"key\":\""
                        + KEY.verifyKey().toBase64() + "\"}}}");
    }

    @Test
    void theValidityMovesWithTheClock() {
        clock.advance(Duration.ofMinutes(5));

        assertThat(publisher.response().get("valid_until_ts").longValue())
                .isEqualTo(NOW.plus(Duration.ofMinutes(5))
                        .plus(Duration.ofHours(6))
                        .toEpochMilli());
    }

    @Test
    void anOldKeyUnderTheCurrentKeysIdIsLeftOut() {
        ServerKeyPublisher clash = new ServerKeyPublisher(
                SERVER, KEY, Map.of(KEY.keyId(), new OldVerifyKey(OLD, 1)), Duration.ofDays(1), clock);

        assertThat(clash.keys().oldVerifyKeys()).isEmpty();
        assertThat(clash.keys().verifyKeys()).containsEntry(KEY.keyId(), KEY.verifyKey());
    }

    @Test
    void readsAPublishedAnswerBack() {
        ServerKeys keys = ServerKeys.parse(publisher.response(), SERVER);

        assertThat(keys).isEqualTo(publisher.keys());
        assertThat(keys.find(KEY.keyId()))
                .contains(new ServerKey(
                        KEY.verifyKey(), NOW.plus(Duration.ofHours(6)).toEpochMilli()));
        assertThat(keys.find(SigningKeyId.ed25519("old"))).contains(new ServerKey(OLD, 1_500_000_000_000L));
        assertThat(keys.find(SigningKeyId.ed25519("nope"))).isEmpty();
    }

    @Test
    void trustsAListAtMostSevenDays() {
        ServerKeys keys = new ServerKeys(SERVER, Map.of(KEY.keyId(), KEY.verifyKey()), Map.of(), Long.MAX_VALUE);

        assertThat(keys.trustedUntil(1000)).isEqualTo(1000 + Duration.ofDays(7).toMillis());
        assertThat(publisher.keys().trustedUntil(NOW.toEpochMilli()))
                .isEqualTo(NOW.plus(Duration.ofHours(6)).toEpochMilli());
    }

    @Test
    void oldVerifyKeysMayBeAbsent() {
        ObjectNode unsigned = publisher.keys().toJson();
        unsigned.remove("old_verify_keys");

        assertThat(ServerKeys.parse(JsonSigning.sign(unsigned, SERVER, KEY), SERVER)
                        .oldVerifyKeys())
                .isEmpty();
    }

    @Test
    void refusesAnAnswerForAnotherServer() {
        assertThatThrownBy(() -> ServerKeys.parse(publisher.response(), ServerName.parse("other.org")))
                .isInstanceOf(InvalidServerKeysException.class)
                .hasMessage("key response is for example.org, not for other.org");
    }

    @Test
    void refusesAnAnswerNotSignedByItsOwnKeys() {
        ObjectNode unsigned = publisher.keys().toJson();
        SigningKey other = SigningKey.fromSeed("key1", new byte[32]);

        assertInvalid(JsonSigning.sign(unsigned, SERVER, other), "does not verify");
        assertInvalid(unsigned, "not signed by example.org");
        assertInvalid(JsonSigning.sign(unsigned, "notary.org", KEY), "not signed by example.org");
        assertInvalid(changed(j -> j.put("valid_until_ts", Long.MAX_VALUE / 4096)), "does not verify");
    }

    @Test
    void refusesBrokenShapes() {
        assertInvalid(CanonicalJson.parse("[]"), "not a JSON object");
        assertInvalid(changed(j -> j.remove("server_name")), "no server_name");
        assertInvalid(changed(j -> j.remove("verify_keys")), "verify_keys is not a JSON object");
        assertInvalid(changed(j -> j.put("verify_keys", "x")), "verify_keys is not a JSON object");
        assertInvalid(changed(j -> j.remove("valid_until_ts")), "valid_until_ts is not an integer");
        assertInvalid(changed(j -> j.put("valid_until_ts", "soon")), "valid_until_ts is not an integer");
        assertInvalid(
                changed(j -> j.with("verify_keys")
                        .putObject("bad id")
                        .put("key", KEY.verifyKey().toBase64())),
                "invalid key id");
        assertInvalid(changed(j -> j.with("verify_keys").putObject("ed25519:k").put("key", "!!")), "not a base64");
        assertInvalid(changed(j -> j.with("verify_keys").putObject("ed25519:k").put("key", "AAAA")), "not a base64");
        assertInvalid(changed(j -> j.with("verify_keys").putObject("ed25519:k")), "has no key");
        assertInvalid(changed(j -> j.with("old_verify_keys").with("ed25519:old").remove("expired_ts")), "expired_ts");
        assertInvalid(changed(j -> j.with("old_verify_keys").with("ed25519:old").put("expired_ts", 1.5)), "expired_ts");
    }

    /** The published answer with {@code change} applied after signing. */
    private ObjectNode changed(Consumer<ObjectNode> change) {
        ObjectNode response = publisher.response();
        change.accept(response);
        return response;
    }

    private static void assertInvalid(com.fasterxml.jackson.databind.JsonNode json, String message) {
        assertThatThrownBy(() -> ServerKeys.parse(json, SERVER))
                .isInstanceOf(InvalidServerKeysException.class)
                .hasMessageContaining(message);
    }
}
