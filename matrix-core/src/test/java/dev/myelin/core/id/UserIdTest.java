package dev.myelin.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {
    private static final ServerName EXAMPLE = ServerName.parse("example.org");

    @Test
    void parsesLocalpartAndServer() {
        UserId id = UserId.parse("@alice:example.org:8448");
        assertThat(id.localpart()).isEqualTo("alice");
        assertThat(id.server().value()).isEqualTo("example.org:8448");
        assertThat(id.toString()).isEqualTo("@alice:example.org:8448");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a.b_c=d-e/f+g", "0123", "x"})
    void createsIdsWithTheStrictGrammar(String localpart) {
        assertThat(UserId.of(localpart, EXAMPLE).isStrict()).isTrue();
    }

    @Test
    void rejectsUppercaseLocalpartWhenCreating() {
        assertThatThrownBy(() -> UserId.of("Alice", EXAMPLE))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("not 'A'");
    }

    @Test
    void acceptsUppercaseLocalpartReceivedHistorically() {
        UserId id = UserId.parse("@Alice:example.org");
        assertThat(id.isStrict()).isFalse();
        assertThat(id.isCompliant()).isTrue();
        assertThatThrownBy(() -> UserId.parseStrict("@Alice:example.org")).hasMessageContaining("may contain only");
    }

    @Test
    void acceptsHistoricalNonAsciiAndEmptyLocalparts() {
        assertThat(UserId.parse("@äöü:example.org").isCompliant()).isFalse();
        assertThat(UserId.parse("@:example.org").localpart()).isEmpty();
        assertThat(UserId.parse("@:example.org").isCompliant()).isFalse();
    }

    @Test
    void rejectsEmptyLocalpartWhenCreating() {
        assertThatThrownBy(() -> UserId.of("", EXAMPLE)).hasMessageContaining("must not be empty");
    }

    @Test
    void rejectsMissingSigil() {
        assertThatThrownBy(() -> UserId.parse("alice:example.org")).hasMessageContaining("must start with '@'");
    }

    @Test
    void rejectsMissingServer() {
        assertThatThrownBy(() -> UserId.parse("@alice")).hasMessageContaining("must contain ':'");
    }

    @Test
    void rejectsNulInLocalpart() {
        assertThatThrownBy(() -> UserId.parse("@al\0ice:example.org")).hasMessageContaining("NUL");
    }

    @Test
    void rejectsInvalidServerPart() {
        assertThatThrownBy(() -> UserId.parse("@alice:exa mple.org")).hasMessageContaining("server name");
    }

    @Test
    void limitsWholeIdTo255Bytes() {
        String server = "example.org";
        String fits = "a".repeat(255 - 2 - server.length());
        assertThat(UserId.parse("@" + fits + ":" + server).localpart()).hasSize(fits.length());
        assertThatThrownBy(() -> UserId.parse("@" + fits + "a:" + server)).hasMessageContaining("255 bytes");
    }

    @Test
    void countsBytesNotCharactersForTheLimit() {
        String server = "example.org";
        String twoByteChars = "é".repeat(122);
        assertThatThrownBy(() -> UserId.parse("@" + twoByteChars + ":" + server))
                .hasMessageContaining("255 bytes");
    }

    @Test
    void rejectsUnpairedSurrogates() {
        assertThatThrownBy(() -> UserId.parse("@a\uD800b:example.org")).hasMessageContaining("surrogate");
        assertThat(UserId.parse("@a\uD83D\uDE00:example.org").localpart()).isEqualTo("a\uD83D\uDE00");
    }
}
