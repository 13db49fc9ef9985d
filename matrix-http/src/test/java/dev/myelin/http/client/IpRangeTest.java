package dev.myelin.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpRangeTest {

    private static InetAddress ip(String literal) {
        return IpRange.parseLiteral(literal).orElseThrow();
    }

    @Test
    void ipv4CidrMatchesOnlyInsideThePrefix() {
        IpRange range = IpRange.parse("172.16.0.0/12");

        assertThat(range.contains(ip("172.16.0.1"))).isTrue();
        assertThat(range.contains(ip("172.31.255.255"))).isTrue();
        assertThat(range.contains(ip("172.32.0.0"))).isFalse();
        assertThat(range.contains(ip("172.15.255.255"))).isFalse();
    }

    @Test
    void ipv6CidrMatchesOnlyInsideThePrefix() {
        IpRange range = IpRange.parse("fe80::/10");

        assertThat(range.contains(ip("fe80::1"))).isTrue();
        assertThat(range.contains(ip("febf:ffff::1"))).isTrue();
        assertThat(range.contains(ip("fec0::1"))).isFalse();
        assertThat(range.contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv4RangeDoesNotMatchUnrelatedIpv6() {
        assertThat(IpRange.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(IpRange.parse("::/0").contains(ip("10.0.0.1"))).isTrue();
    }

    @Test
    void v4MappedIpv6AddressMatchesIpv4Range() {
        IpRange loopback = IpRange.parse("127.0.0.0/8");

        assertThat(loopback.contains(ip("::ffff:127.0.0.1"))).isTrue();
        assertThat(loopback.contains(ip("[::ffff:7f00:2]"))).isTrue();
        assertThat(loopback.contains(ip("::ffff:8.8.8.8"))).isFalse();
    }

    @Test
    void v4MappedRangeWrittenInIpv6MatchesIpv4Addresses() {
        IpRange mapped = IpRange.parse("::ffff:10.0.0.0/104");

        assertThat(mapped.contains(ip("10.1.2.3"))).isTrue();
        assertThat(mapped.contains(ip("11.0.0.0"))).isFalse();
        assertThat(mapped.toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void bareAddressIsSingleHostRange() {
        assertThat(IpRange.parse("192.0.2.7").contains(ip("192.0.2.7"))).isTrue();
        assertThat(IpRange.parse("192.0.2.7").contains(ip("192.0.2.8"))).isFalse();
        assertThat(IpRange.parse("::1").contains(ip("::1"))).isTrue();
    }

    @Test
    void hostBitsAreIgnoredAndRangesCompareByValue() {
        assertThat(IpRange.parse("10.1.2.3/8")).isEqualTo(IpRange.parse("10.0.0.0/8"));
        assertThat(IpRange.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void rejectsNamesAndBadPrefixes() {
        assertThatThrownBy(() -> IpRange.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpRange.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpRange.parseLiteral("1.2.3")).isEmpty();
        assertThat(IpRange.parseLiteral("localhost")).isEmpty();
    }

    @Test
    void defaultBlocklistCoversPrivateLoopbackLinkLocalCgnatAndMulticast() {
        IpBlocklist defaults = IpBlocklist.defaults();

        for (String blocked : new String[] {
            "127.0.0.1",
            "10.9.8.7",
            "192.168.1.1",
            "172.20.0.1",
            "100.64.0.1",
            "169.254.169.254",
            "224.0.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:10.0.0.1"
        }) {
            assertThat(defaults.isBlocked(ip(blocked))).as(blocked).isTrue();
        }
        for (String open : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1"}) {
            assertThat(defaults.isBlocked(ip(open))).as(open).isFalse();
        }
    }

    @Test
    void allowlistOverridesBlocklist() {
        IpBlocklist list = IpBlocklist.defaults().allowing("10.1.0.0/16");

        assertThat(list.isBlocked(ip("10.1.2.3"))).isFalse();
        assertThat(list.isBlocked(ip("10.2.0.1"))).isTrue();
    }

    @Test
    void proxySettingsFromEnvironment() {
        ProxySettings proxy = ProxySettings.fromEnvironment(java.util.Map.of(
                "HTTPS_PROXY", "proxy.internal:3128",
                "http_proxy", "http://p:8080",
                "no_proxy", "localhost, .corp.example,intranet:8080"));

        assertThat(proxy.httpsProxy()).contains(java.net.URI.create("http://proxy.internal:3128"));
        assertThat(proxy.httpProxy()).contains(java.net.URI.create("http://p:8080"));
        assertThat(proxy.bypasses("localhost")).isTrue();
        assertThat(proxy.bypasses("a.corp.example")).isTrue();
        assertThat(proxy.bypasses("corp.example")).isTrue();
        assertThat(proxy.bypasses("intranet")).isTrue();
        assertThat(proxy.bypasses("matrix.org")).isFalse();
    }
}
