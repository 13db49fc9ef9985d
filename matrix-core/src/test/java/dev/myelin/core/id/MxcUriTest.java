package dev.myelin.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MxcUriTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mxc://example.org/SEiufWjrBfqsNfAnbUUNFmVC",
                "mxc://example.org/a",
                "mxc://a/b_C-9",
                "mxc://example.org:8448/abc",
                "mxc://1.2.3.4/abc",
                "mxc://1.2.3.4:1/abc",
                "mxc://[::1]/abc",
                "mxc://[1234:5678::abcd]:65535/abc",
                "mxc://localhost/abc"
            })
    void parsesAndPrintsValidUris(String value) {
        assertThat(MxcUri.parse(value).toString()).isEqualTo(value);
    }

    @Test
    void splitsServerAndMediaId() {
        MxcUri uri = MxcUri.parse("mxc://example.org:8448/abc_DEF-123");
        assertThat(uri.server()).isEqualTo(ServerName.parse("example.org:8448"));
        assertThat(uri.server().port()).hasValue(8448);
        assertThat(uri.mediaId()).isEqualTo("abc_DEF-123");
        assertThat(new MxcUri(ServerName.parse("example.org"), "x")).isEqualTo(MxcUri.parse("mxc://example.org/x"));
    }

    @Test
    void acceptsMediaIdsUpTo255Characters() {
        assertThat(MxcUri.parse("mxc://example.org/" + "a".repeat(255)).mediaId())
                .hasSize(255);
        assertThatThrownBy(() -> MxcUri.parse("mxc://example.org/" + "a".repeat(256)))
                .isInstanceOf(InvalidIdentifierException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "mxc:",
                "mxc://",
                "mxc:///",
                "mxc:///abc",
                "mxc://example.org",
                "mxc://example.org/",
                "MXC://example.org/abc",
                "https://example.org/abc",
                "mxc:/example.org/abc",
                " mxc://example.org/abc",
                "mxc://example.org/abc ",
                "mxc://example.org/a b",
                "mxc://example.org/a/b"
            })
    void rejectsMissingOrEmptyParts(String value) {
        assertThatThrownBy(() -> MxcUri.parse(value)).isInstanceOf(InvalidIdentifierException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mxc://example.org/..",
                "mxc://example.org/../etc/passwd",
                "mxc://example.org/.",
                "mxc://example.org/a%2F..%2Fb",
                "mxc://example.org/..%2Fb",
                "mxc://example.org/a\\..\\b",
                "mxc://../abc",
                "mxc://./abc",
                "mxc://.example.org/abc",
                "mxc://example.org./abc",
                "mxc://example..org/abc",
                "mxc://example.org/abc?x=1",
                "mxc://example.org/abc#frag",
                "mxc://example.org/a\u0000b",
                "mxc://example.org/%00"
            })
    void rejectsPathTraversalAndSmuggledCharacters(String value) {
        assertThatThrownBy(() -> MxcUri.parse(value)).isInstanceOf(InvalidIdentifierException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mxc://example.org:/abc",
                "mxc://example.org:0/abc",
                "mxc://example.org:65536/abc",
                "mxc://example.org:99999/abc",
                "mxc://example.org:123456/abc",
                "mxc://example.org:8a/abc",
                "mxc://example.org:-1/abc",
                "mxc://[::1/abc",
                "mxc://bad server/abc",
                "mxc://user@example.org/abc"
            })
    void rejectsBadServerNamesAndPorts(String value) {
        assertThatThrownBy(() -> MxcUri.parse(value)).isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void constructorChecksLikeParse() {
        ServerName server = ServerName.parse("example.org");
        assertThatThrownBy(() -> new MxcUri(server, "")).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> new MxcUri(server, "../x")).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> new MxcUri(ServerName.parse(".."), "x"))
                .isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> new MxcUri(null, "x")).isInstanceOf(NullPointerException.class);
        assertThat(MxcUri.isValidMediaId("abc")).isTrue();
        assertThat(MxcUri.isValidMediaId(null)).isFalse();
        assertThat(MxcUri.isValidMediaId("a.b")).isFalse();
    }
}
