package dev.myelin.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerNameTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "matrix.org",
                "matrix.org:8888",
                "1.2.3.4",
                "1.2.3.4:1234",
                "[1234:5678::abcd]",
                "[1234:5678::abcd]:5678",
                "localhost",
                "a-b.example",
                "MATRIX.ORG",
                "[::1]",
                "[::ffff:1.2.3.4]:8448"
            })
    void acceptsSpecExamplesAndVariants(String name) {
        assertThat(ServerName.parse(name).value()).isEqualTo(name);
    }

    @Test
    void splitsHostAndPort() {
        ServerName name = ServerName.parse("[1234:5678::abcd]:5678");
        assertThat(name.host()).isEqualTo("[1234:5678::abcd]");
        assertThat(name.port()).hasValue(5678);
        assertThat(name.isIpLiteral()).isTrue();
        assertThat(ServerName.parse("matrix.org").port()).isEmpty();
        assertThat(ServerName.parse("1.2.3.4:80").isIpLiteral()).isTrue();
        assertThat(ServerName.parse("example.com:80").isIpLiteral()).isFalse();
    }

    @Test
    void rejectsEmptyName() {
        assertThatThrownBy(() -> ServerName.parse("")).hasMessageContaining("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"matrix.org:", "matrix.org:123456", "matrix.org:12a", "example.com:-1"})
    void rejectsBadPorts(String name) {
        assertThatThrownBy(() -> ServerName.parse(name))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("port must be 1 to 5 digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa_mple.com", "exa mple.com", "ex/ample", "ünïcode.org"})
    void rejectsBadHostnameCharacters(String name) {
        assertThatThrownBy(() -> ServerName.parse(name))
                .hasMessageContaining("may contain only letters, digits, '-' and '.'");
    }

    @Test
    void rejectsIpv6WithoutClosingBracket() {
        assertThatThrownBy(() -> ServerName.parse("[::1")).hasMessageContaining("closing ']'");
    }

    @Test
    void rejectsIpv6WithNonHexCharacters() {
        assertThatThrownBy(() -> ServerName.parse("[::g1]")).hasMessageContaining("hex digits");
    }

    @Test
    void rejectsIpv4OutOfRange() {
        assertThatThrownBy(() -> ServerName.parse("256.1.1.1")).hasMessageContaining("0 to 255");
    }

    @Test
    void rejectsHostnameOver255Characters() {
        assertThatThrownBy(() -> ServerName.parse("a".repeat(256))).hasMessageContaining("255");
        assertThat(ServerName.isValid("a".repeat(255))).isTrue();
    }

    @Test
    void comparesCaseSensitively() {
        assertThat(ServerName.parse("matrix.org")).isNotEqualTo(ServerName.parse("MATRIX.ORG"));
    }
}
