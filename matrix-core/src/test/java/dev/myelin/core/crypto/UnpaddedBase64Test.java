package dev.myelin.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnpaddedBase64Test {

    @ParameterizedTest
    @CsvSource(value = {"'',''", "f,Zg", "fo,Zm8", "foo,Zm9v", "foob,Zm9vYg", "fooba,Zm9vYmE", "foobar,Zm9vYmFy"})
    void encodesTheSpecExamplesWithoutPadding(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.UTF_8);

        assertThat(UnpaddedBase64.encode(bytes)).isEqualTo(encoded);
        assertThat(UnpaddedBase64.decode(encoded)).isEqualTo(bytes);
    }

    @Test
    void decodesPaddedInputToo() {
        assertThat(UnpaddedBase64.decode("Zm8=")).isEqualTo("fo".getBytes(StandardCharsets.UTF_8));
        assertThat(UnpaddedBase64.decodeUrlSafe("Zg==")).isEqualTo("f".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void urlSafeUsesMinusAndUnderscore() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf};

        assertThat(UnpaddedBase64.encode(bytes)).isEqualTo("+/+/");
        assertThat(UnpaddedBase64.encodeUrlSafe(bytes)).isEqualTo("-_-_");
        assertThat(UnpaddedBase64.decodeUrlSafe("-_-_")).isEqualTo(bytes);
    }

    @Test
    void rejectsCharactersOutsideTheAlphabetWithAClearMessage() {
        assertThatThrownBy(() -> UnpaddedBase64.decode("-_-_"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid base64 '-_-_'");
        assertThatThrownBy(() -> UnpaddedBase64.decodeUrlSafe("+/+/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid url-safe base64");
    }

    @Test
    void rejectsATruncatedFinalUnit() {
        assertThatThrownBy(() -> UnpaddedBase64.decode("Zm9vY")).isInstanceOf(IllegalArgumentException.class);
    }
}
