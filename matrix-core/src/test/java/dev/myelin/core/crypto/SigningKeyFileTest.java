package dev.myelin.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFileTest {

    @Test
    void roundTripsSeveralKeysThroughAFile(@TempDir Path dir) {
        List<SigningKey> keys = List.of(SigningKey.generate("a_1"), SigningKey.generate("b2"));
        Path file = dir.resolve("server.signing.key");

        SigningKeyFile.write(file, keys);

        assertThat(SigningKeyFile.read(file)).containsExactlyElementsOf(keys);
    }

    @Test
    void readsTheSynapseLineFormatIgnoringBlankLines() {
        String text = "\ned25519 1 " + SigningKeySpec.SEED
                + "\n\n   \r\ned25519 old YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0=\n";

        List<SigningKey> keys = SigningKeyFile.parse(text);

        assertThat(keys).extracting(k -> k.keyId().toString()).containsExactly("ed25519:1", "ed25519:old");
        assertThat(keys.get(0)).isEqualTo(SigningKey.fromSeed("1", SigningKeySpec.SEED));
    }

    @Test
    void formatsOneLinePerKey() {
        SigningKey key = SigningKey.fromSeed("1", SigningKeySpec.SEED);

        assertThat(SigningKeyFile.format(List.of(key)))
                .isEqualTo("ed25519 1 " + UnpaddedBase64.encode(key.seed()) + "\n");
    }

    @Test
    void rejectsALineWithTheWrongNumberOfFields() {
        assertThatThrownBy(() -> SigningKeyFile.parse("ed25519 1 " + SigningKeySpec.SEED + "\ned25519 2"))
                .isInstanceOf(SigningKeyFileException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("found 2 fields");
    }

    @Test
    void rejectsAnUnknownAlgorithm() {
        assertThatThrownBy(() -> SigningKeyFile.parse("rsa 1 " + SigningKeySpec.SEED))
                .isInstanceOf(SigningKeyFileException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("unsupported algorithm 'rsa'");
    }

    @Test
    void rejectsAnInvalidVersion() {
        assertThatThrownBy(() -> SigningKeyFile.parse("ed25519 a:b " + SigningKeySpec.SEED))
                .isInstanceOf(SigningKeyFileException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void rejectsASeedThatIsNotBase64() {
        assertThatThrownBy(() -> SigningKeyFile.parse("ed25519 1 not*base64"))
                .isInstanceOf(SigningKeyFileException.class)
                .hasMessageContaining("not base64");
    }

    @Test
    void rejectsASeedOfTheWrongLength() {
        assertThatThrownBy(() -> SigningKeyFile.parse("ed25519 1 Zm9vYmFy"))
                .isInstanceOf(SigningKeyFileException.class)
                .hasMessageContaining("seed is 6 bytes");
    }

    /** The spec's test seed. */
    static final class SigningKeySpec {
        static final String SEED = SigningKeyTest.SPEC_SEED;
    }
}
