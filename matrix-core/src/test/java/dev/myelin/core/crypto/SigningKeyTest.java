package dev.myelin.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.SigningKeyId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningKeyTest {
    static final String SPEC_SEED = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1";

    @Test
    void derivesTheKeyFromTheSpecSeed() {
        SigningKey key = SigningKey.fromSeed("1", SPEC_SEED);

        assertThat(key.keyId()).isEqualTo(SigningKeyId.parse("ed25519:1"));
        assertThat(key.seed()).isEqualTo(UnpaddedBase64.decode(SPEC_SEED));
        assertThat(key.verifyKey().bytes()).hasSize(32);
    }

    @Test
    void signaturesVerifyWithTheVerifyKeyOnly() {
        SigningKey key = SigningKey.generate("a_1");
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);

        assertThat(signature).hasSize(64);
        assertThat(key.verifyKey().verify(message, signature)).isTrue();
        assertThat(key.verifyKey().verify("hellp".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(SigningKey.generate("b").verifyKey().verify(message, signature))
                .isFalse();
        assertThat(key.verifyKey().verify(message, new byte[12])).isFalse();
    }

    @Test
    void verifyKeyRoundTripsThroughBase64() {
        VerifyKey key = SigningKey.generate("x").verifyKey();

        assertThat(VerifyKey.fromBase64(key.toBase64())).isEqualTo(key);
    }

    @Test
    void signingIsDeterministicForASeed() {
        byte[] message = {1, 2, 3};

        assertThat(SigningKey.fromSeed("1", SPEC_SEED).sign(message))
                .isEqualTo(SigningKey.fromSeed("1", SPEC_SEED).sign(message));
    }

    @Test
    void rejectsSeedsOfTheWrongLength() {
        assertThatThrownBy(() -> SigningKey.fromSeed("1", new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> VerifyKey.fromBytes(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsTheSeed() {
        SigningKey key = SigningKey.fromSeed("1", SPEC_SEED);

        assertThat(key.toString()).doesNotContain(SPEC_SEED).contains("ed25519:1");
    }
}
