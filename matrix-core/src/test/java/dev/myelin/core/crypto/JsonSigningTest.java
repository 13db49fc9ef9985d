package dev.myelin.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "JSON Signing" test vectors of the spec's appendix, and each way a check can fail. */
class JsonSigningTest {
    static final SigningKey KEY = SigningKey.fromSeed("1", SigningKeyTest.SPEC_SEED);
    static final ServerName DOMAIN = ServerName.parse("domain");
    static final SigningKeyId KEY_ID = SigningKeyId.parse("ed25519:1");

    static ObjectNode json(String text) {
        return (ObjectNode) CanonicalJson.parse(text);
    }

    @Test
    void signsTheEmptyObjectAsTheSpecVector() {
        ObjectNode signed = JsonSigning.sign(json("{}"), DOMAIN, KEY);

        assertThat(CanonicalJson.encodeToString(signed)).isEqualTo(CanonicalJson.encodeToString(json("""
                {
                    "signatures": {
                        "domain": {
                            "ed25519:1": "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"
                        }
                    }
                }""")));
    }

    @Test
    void signsAnObjectWithDataAsTheSpecVector() {
        ObjectNode signed = JsonSigning.sign(json("{\"one\": 1, \"two\": \"Two\"}"), DOMAIN, KEY);

        assertThat(CanonicalJson.encodeToString(signed)).isEqualTo(CanonicalJson.encodeToString(json("""
                {
                    "one": 1,
                    "signatures": {
                        "domain": {
                            "ed25519:1": "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"
                        }
                    },
                    "two": "Two"
                }""")));
    }

    @Test
    void verifiesBothSpecVectors() {
        JsonSigning.verify(json("""
                {"signatures":{"domain":{"ed25519:1":"K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"}}}"""), DOMAIN, KEY_ID, KEY.verifyKey());
        JsonSigning.verify(json("""
                {"one":1,"two":"Two","signatures":{"domain":{"ed25519:1":"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"}}}"""), DOMAIN, KEY_ID, KEY.verifyKey());
    }

    @Test
    void keepsUnsignedAndOtherSignaturesOutOfTheSignedBytes() {
        ObjectNode original = json("""
                {"one":1,"unsigned":{"age_ts":5},"signatures":{"other":{"ed25519:x":"abc"}}}""");

        ObjectNode signed = JsonSigning.sign(original, DOMAIN, KEY);

        assertThat(signed.path("unsigned").path("age_ts").intValue()).isEqualTo(5);
        assertThat(signed.path("signatures").path("other").path("ed25519:x").textValue())
                .isEqualTo("abc");
        assertThat(signed.path("signatures").path("domain").path("ed25519:1").textValue())
                .isEqualTo(JsonSigning.sign(json("{\"one\":1}"), DOMAIN, KEY)
                        .path("signatures")
                        .path("domain")
                        .path("ed25519:1")
                        .textValue());
        assertThat(original.path("signatures").has("domain"))
                .as("input unchanged")
                .isFalse();
        signed.withObjectProperty("unsigned").put("age_ts", 99);
        JsonSigning.verify(signed, DOMAIN, KEY_ID, KEY.verifyKey());
    }

    @Test
    void failsWhenTheEntityHasNotSigned() {
        ObjectNode signed = JsonSigning.sign(json("{}"), DOMAIN, KEY);

        assertThatThrownBy(() -> JsonSigning.verify(signed, "elsewhere", KEY_ID, KEY.verifyKey()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("no signatures from elsewhere");
        assertThatThrownBy(() -> JsonSigning.verify(json("{}"), DOMAIN, KEY_ID, KEY.verifyKey()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("no signatures from domain");
    }

    @Test
    void failsWhenNoSignatureHasTheKeyId() {
        ObjectNode signed = JsonSigning.sign(json("{}"), DOMAIN, KEY);

        assertThatThrownBy(() -> JsonSigning.verify(signed, DOMAIN, SigningKeyId.ed25519("2"), KEY.verifyKey()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("no signature from domain with key ed25519:2");
    }

    @Test
    void failsWhenTheSignatureIsNotBase64() {
        ObjectNode bad = json("{\"signatures\":{\"domain\":{\"ed25519:1\":\"not base64!\"}}}");

        assertThatThrownBy(() -> JsonSigning.verify(bad, DOMAIN, KEY_ID, KEY.verifyKey()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("signature from domain with key ed25519:1 is not valid base64");
    }

    @Test
    void failsWhenTheSignatureDoesNotVerify() {
        ObjectNode signed = JsonSigning.sign(json("{\"one\":1}"), DOMAIN, KEY);
        signed.put("one", 2);

        assertThatThrownBy(() -> JsonSigning.verify(signed, DOMAIN, KEY_ID, KEY.verifyKey()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("signature from domain with key ed25519:1 does not verify");
        ObjectNode otherKey = JsonSigning.sign(json("{}"), DOMAIN, KEY);
        assertThatThrownBy(() -> JsonSigning.verify(
                        otherKey, DOMAIN, KEY_ID, SigningKey.generate("1").verifyKey()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void checksOnlyKnownKeysAndNeedsAtLeastOne() {
        ObjectNode signed = JsonSigning.sign(json("{}"), DOMAIN, KEY);
        signed.withObjectProperty("signatures")
                .withObjectProperty("domain")
                .put("ed25519:unknown", "AAAA")
                .put("curve:1", "AAAA");

        JsonSigning.verifyWithKnownKeys(signed, "domain", Map.of(KEY_ID, KEY.verifyKey()));
        assertThatThrownBy(() -> JsonSigning.verifyWithKnownKeys(
                        signed, "domain", Map.of(SigningKeyId.ed25519("9"), KEY.verifyKey())))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageStartingWith("no signature from domain with a known key");
    }
}
