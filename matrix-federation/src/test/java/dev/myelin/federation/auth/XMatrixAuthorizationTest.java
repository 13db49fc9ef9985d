package dev.myelin.federation.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XMatrixAuthorizationTest {
    private static final ServerName ORIGIN = ServerName.parse("origin.hs.example.com");
    private static final ServerName DESTINATION = ServerName.parse("destination.hs.example.com");

    @Test
    void readsTheSpecsExampleHeader() {
        XMatrixAuthorization header = XMatrixAuthorization.parse(
                "X-Matrix origin=\"origin.hs.example.com\",destination=\"destination.hs.example.com\","
                        + "key=\"ed25519:key1\",sig=\"ABCDEF...\"");

        assertThat(header)
                .isEqualTo(new XMatrixAuthorization(
                        ORIGIN, Optional.of(DESTINATION), SigningKeyId.ed25519("key1"), "ABCDEF..."));
    }

    @Test
    void formatsAsTheSpecAsksSendersTo() {
        XMatrixAuthorization header = new XMatrixAuthorization(
                ORIGIN, Optional.of(DESTINATION), SigningKeyId.ed25519("key1"), "c2lnbmF0dXJl");

        assertThat(header.format())
                .isEqualTo("X-Matrix origin=\"origin.hs.example.com\",destination=\"destination.hs.example.com\","
                        + "key=\"ed25519:key1\",sig=\"c2lnbmF0dXJl\"");
        assertThat(XMatrixAuthorization.parse(header.format())).isEqualTo(header);
    }

    @Test
    void acceptsAnyCaseAnyOrderBareValuesAndSpacesAroundCommas() {
        XMatrixAuthorization header = XMatrixAuthorization.parse(
                "x-matrix   SIG=abc/def+1 ,\tKey=ed25519:key1 , Destination=destination.hs.example.com,origin=origin.hs.example.com");

        assertThat(header)
                .isEqualTo(new XMatrixAuthorization(
                        ORIGIN, Optional.of(DESTINATION), SigningKeyId.ed25519("key1"), "abc/def+1"));
    }

    @Test
    void unescapesQuotedValuesAndIgnoresUnknownParameters() {
        XMatrixAuthorization header = XMatrixAuthorization.parse(
                "X-Matrix origin=\"origin.hs.\\example.com\",future=\"a, \\\"quoted\\\" value\",key=\"ed25519:key1\",sig=\"s\\ig\"");

        assertThat(header.origin()).isEqualTo(ORIGIN);
        assertThat(header.signature()).isEqualTo("sig");
    }

    @Test
    void destinationIsOptionalForOlderSenders() {
        XMatrixAuthorization header =
                XMatrixAuthorization.parse("X-Matrix origin=origin.hs.example.com,key=ed25519:key1,sig=abc");

        assertThat(header.destination()).isEmpty();
        assertThat(header.format())
                .isEqualTo("X-Matrix origin=\"origin.hs.example.com\",key=\"ed25519:key1\",sig=\"abc\"");
    }

    @Test
    void readsServerNamesWithPortsAndIpv6Literals() {
        XMatrixAuthorization header = XMatrixAuthorization.parse(
                "X-Matrix origin=\"[::1]:8448\",destination=localhost:8448,key=\"ed25519:a_b\",sig=\"x\"");

        assertThat(header.origin()).isEqualTo(ServerName.parse("[::1]:8448"));
        assertThat(header.destination()).contains(ServerName.parse("localhost:8448"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "X-Matrix",
                "Bearer abc",
                "X-Matrixorigin=a,key=ed25519:1,sig=x",
                "X-Matrix key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",key=\"ed25519:1\"",
                "X-Matrix origin=\"a.example\",key=\"ed25519:1\",sig=\"\"",
                "X-Matrix origin=\"a.example\",key=\"ed25519:1\",sig=\"x",
                "X-Matrix origin=\"a.example\",key=\"ed25519:1\",sig=\"x\\",
                "X-Matrix origin=\"a.example\" key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",key,sig=\"x\"",
                "X-Matrix origin=,key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix =a.example,key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix origin=\"not a server\",key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",destination=\"b example\",key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",key=\"nocolon\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",key=\"ed25519:bad-version\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",origin=\"b.example\",key=\"ed25519:1\",sig=\"x\"",
                "X-Matrix origin=\"a.example\",key=\"ed25519:1\",sig=\"x\",\u0000=1",
            })
    void refusesMalformedHeadersWithAClearMessage(String value) {
        assertThatThrownBy(() -> XMatrixAuthorization.parse(value))
                .isInstanceOf(MalformedAuthorizationException.class)
                .hasMessageContaining("X-Matrix");
    }
}
