package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.discovery.SrvRecord;
import dev.myelin.federation.discovery.StaticFederationDns;
import dev.myelin.http.client.IpBlocklist;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Synapse's federation keys in {@code homeserver.yaml}: {@code federation_verify_certificates},
 * {@code federation_certificate_verification_whitelist}, {@code federation_domain_whitelist},
 * {@code federation_static_dns} and the older {@code federation_ip_range_blacklist}, with every bad
 * value stopping start-up with the key named.
 */
class FederationConfigTest {
    private final List<String> warnings = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(warnings::add);

    private HomeserverConfig parse(String yaml) {
        return loader.parse("homeserver.yaml", "server_name: example.org\n" + yaml, Path.of("/srv/myelin"));
    }

    private FederationSettings federation(String yaml) {
        return parse(yaml).federation();
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void withoutAnyFederationKeySynapsesDefaultsApply() {
        FederationSettings settings = federation("");
        assertThat(settings).isEqualTo(FederationSettings.defaults());
        assertThat(settings.verifyCertificates()).isTrue();
        assertThat(settings.certificateVerificationWhitelist()).isEmpty();
        assertThat(settings.domainWhitelist()).isEqualTo(FederationDomainWhitelist.everyone());
        assertThat(settings.staticDns()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void verifyCertificatesIsReadAsABoolean() {
        assertThat(federation("federation_verify_certificates: false\n").verifyCertificates())
                .isFalse();
        assertThat(federation("federation_verify_certificates: true\n").verifyCertificates())
                .isTrue();
        assertThat(federation("federation_verify_certificates:\n").verifyCertificates())
                .as("null is the default")
                .isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void verifyCertificatesThatIsNotABooleanNamesTheKey() {
        assertThatThrownBy(() -> parse("federation_verify_certificates: 'no'\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_verify_certificates' must be true or false");
        assertThatThrownBy(() -> parse("federation_verify_certificates: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_verify_certificates' must be true or false");
        assertThatThrownBy(() -> parse("federation_verify_certificates: [false]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'federation_verify_certificates'");
    }

    @Test
    void publicRoomsOverFederationAreOffUnlessAllowed() {
        assertThat(federation("").allowPublicRoomsOverFederation()).isFalse();
        assertThat(federation("allow_public_rooms_over_federation: true\n").allowPublicRoomsOverFederation())
                .isTrue();
        assertThat(federation("allow_public_rooms_over_federation: false\n").allowPublicRoomsOverFederation())
                .isFalse();
        assertThat(warnings).isEmpty();
        assertThatThrownBy(() -> federation("allow_public_rooms_over_federation: sometimes\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'allow_public_rooms_over_federation' must be true or false");
    }

    @Test
    void theCertificateVerificationWhitelistIsReadInOrder() {
        FederationSettings settings = federation(
                "federation_certificate_verification_whitelist: [lon.example.com, '*.domain.com', '*.onion']\n");
        assertThat(settings.certificateVerificationWhitelist())
                .containsExactly("lon.example.com", "*.domain.com", "*.onion");
        assertThat(settings.verifyCertificates())
                .as("the list leaves the switch on")
                .isTrue();
        assertThat(settings.verifiesCertificateOf("lon.example.com")).isFalse();
        assertThat(settings.verifiesCertificateOf("matrix.domain.com")).isFalse();
        assertThat(settings.verifiesCertificateOf("example.org")).isTrue();
        assertThat(federation("federation_certificate_verification_whitelist:\n")
                        .certificateVerificationWhitelist())
                .isEmpty();
        assertThat(federation("federation_certificate_verification_whitelist: []\n")
                        .certificateVerificationWhitelist())
                .isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aCertificateVerificationWhitelistThatIsNotAListOfStringsNamesTheKey() {
        assertThatThrownBy(() -> parse("federation_certificate_verification_whitelist: '*.example.com'\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_certificate_verification_whitelist' must be a list");
        assertThatThrownBy(() -> parse("federation_certificate_verification_whitelist: [{a: b}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_certificate_verification_whitelist[0]' must be a string");
        assertThatThrownBy(() -> parse("federation_certificate_verification_whitelist: ['']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_certificate_verification_whitelist[0]' is required");
    }

    @Test
    void withoutADomainWhitelistEveryServerIsFederatedWith() {
        assertThat(federation("").domainWhitelist().allows(ServerName.parse("anyone.test")))
                .isTrue();
        FederationDomainWhitelist nulled =
                federation("federation_domain_whitelist:\n").domainWhitelist();
        assertThat(nulled).as("null is the same as absent").isEqualTo(FederationDomainWhitelist.everyone());
        assertThat(federation("federation_domain_whitelist: ~\n").domainWhitelist())
                .isEqualTo(FederationDomainWhitelist.everyone());
        assertThat(warnings).isEmpty();
    }

    @Test
    void aDomainWhitelistAllowsExactlyTheServersListed() {
        FederationDomainWhitelist whitelist = federation("""
                        federation_domain_whitelist:
                          - lon.example.com
                          - nyc.example.com:8448
                          - 192.0.2.1
                          - '[2001:db8::1]:8448'
                        """).domainWhitelist();
        assertThat(whitelist.servers())
                .contains(Set.of(
                        ServerName.parse("lon.example.com"),
                        ServerName.parse("nyc.example.com:8448"),
                        ServerName.parse("192.0.2.1"),
                        ServerName.parse("[2001:db8::1]:8448")));
        assertThat(whitelist.allows(ServerName.parse("lon.example.com"))).isTrue();
        assertThat(whitelist.allows(ServerName.parse("nyc.example.com:8448"))).isTrue();
        assertThat(whitelist.allows(ServerName.parse("nyc.example.com")))
                .as("a server name with a port is another server name")
                .isFalse();
        assertThat(whitelist.allows(ServerName.parse("sub.lon.example.com"))).isFalse();
        assertThat(whitelist.allows(ServerName.parse("example.org")))
                .as("this server itself is not added")
                .isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void anEmptyDomainWhitelistClosesFederation() {
        FederationDomainWhitelist whitelist =
                federation("federation_domain_whitelist: []\n").domainWhitelist();
        assertThat(whitelist.servers()).contains(Set.of());
        assertThat(whitelist.allows(ServerName.parse("lon.example.com"))).isFalse();
        assertThat(whitelist.allows(ServerName.parse("example.org"))).isFalse();
    }

    @Test
    void aDuplicateInTheDomainWhitelistIsHarmless() {
        FederationDomainWhitelist whitelist =
                federation("federation_domain_whitelist: [a.test, a.test]\n").domainWhitelist();
        assertThat(whitelist.servers()).contains(Set.of(ServerName.parse("a.test")));
    }

    @Test
    void aBadDomainWhitelistNamesTheKey() {
        assertThatThrownBy(() -> parse("federation_domain_whitelist: ['bad host']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "homeserver.yaml: 'federation_domain_whitelist' holds 'bad host', which is not a server name");
        assertThatThrownBy(() -> parse("federation_domain_whitelist: ['example.com:http']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'federation_domain_whitelist' holds 'example.com:http'");
        assertThatThrownBy(() -> parse("federation_domain_whitelist: ['https://example.com']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'federation_domain_whitelist' holds 'https://example.com'");
        assertThatThrownBy(() -> parse("federation_domain_whitelist: lon.example.com\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_domain_whitelist' must be a list");
        assertThatThrownBy(() -> parse("federation_domain_whitelist: {lon.example.com: true}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_domain_whitelist' must be a list");
        assertThatThrownBy(() -> parse("federation_domain_whitelist: [[a.test]]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_domain_whitelist[0]' must be a string");
        assertThatThrownBy(() -> parse("federation_domain_whitelist: ['']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_domain_whitelist[0]' is required");
    }

    @Test
    void staticDnsReadsHostsAsListsOrSingleAddresses() throws Exception {
        StaticFederationDns dns = federation("""
                        federation_static_dns:
                          hosts:
                            hs1.test: ['127.0.0.1', '::1']
                            hs2.test: 127.0.0.2
                            hs3.test: ['[::1]']
                        """).staticDns().orElseThrow();
        assertThat(dns.resolve("hs1.test")).containsExactly(ip("127.0.0.1"), ip("::1"));
        assertThat(dns.resolve("hs2.test")).containsExactly(ip("127.0.0.2"));
        assertThat(dns.resolve("hs3.test")).containsExactly(ip("::1"));
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test")).isEmpty();
        assertThatThrownBy(() -> dns.resolve("example.org")).isInstanceOf(UnknownHostException.class);
        assertThat(warnings).isEmpty();
    }

    @Test
    void staticDnsReadsSrvRecordsInZoneFileOrder() throws Exception {
        StaticFederationDns dns = federation("""
                        federation_static_dns:
                          hosts:
                            node.test: 127.0.0.1
                          srv:
                            _matrix-fed._tcp.hs1.test: ['10 5 8448 node.test.', '20 0 8449 backup.test']
                            _matrix._tcp.hs2.test: '0 0 443 node.test'
                        """).staticDns().orElseThrow();
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test"))
                .containsExactly(new SrvRecord(10, 5, 8448, "node.test"), new SrvRecord(20, 0, 8449, "backup.test"));
        assertThat(dns.srv("_matrix._tcp.hs2.test")).containsExactly(new SrvRecord(0, 0, 443, "node.test"));
        assertThat(dns.resolve("node.test")).containsExactly(ip("127.0.0.1"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void staticDnsMayHoldOnlySrvRecordsOrNothing() {
        StaticFederationDns srvOnly = federation(
                        "federation_static_dns:\n  srv:\n    _matrix-fed._tcp.a.test: ['1 1 8448 b.test']\n")
                .staticDns()
                .orElseThrow();
        assertThat(srvOnly.srv("_matrix-fed._tcp.a.test")).hasSize(1);
        assertThatThrownBy(() -> srvOnly.resolve("b.test")).isInstanceOf(UnknownHostException.class);

        StaticFederationDns empty =
                federation("federation_static_dns: {}\n").staticDns().orElseThrow();
        assertThat(empty.srv("_matrix-fed._tcp.a.test")).isEmpty();
        assertThatThrownBy(() -> empty.resolve("a.test"))
                .as("a name not in the tables does not exist: real DNS is never asked")
                .isInstanceOf(UnknownHostException.class);

        assertThat(federation("federation_static_dns:\n").staticDns())
                .as("null is the same as absent: real DNS")
                .isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aStaticDnsAddressThatIsNotAnIpNamesTheKey() {
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: [example.org]}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("homeserver.yaml: 'federation_static_dns' ")
                .hasMessageContaining("hs1.test")
                .hasMessageContaining("'example.org' is not an IP address");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: '10.0.0.0/8'}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("homeserver.yaml: 'federation_static_dns' ")
                .hasMessageContaining("'10.0.0.0/8' is not an IP address");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: '300.1.1.1'}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'300.1.1.1' is not an IP address");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: '[::1'}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'[::1' is not an IP address");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: []}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("homeserver.yaml: 'federation_static_dns' ")
                .hasMessageContaining("hs1.test has no address");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: ['']}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns.hosts.hs1.test[0]' is required");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: ~}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns.hosts.hs1.test' is required");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: {hs1.test: {a: 1}}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns.hosts.hs1.test' must be a string");
    }

    @Test
    void aBadStaticDnsSrvRecordNamesTheKey() {
        for (String bad : List.of(
                "10 5 8448",
                "10 5 8448 a.test extra",
                "ten 5 8448 a.test",
                "10 5 70000 a.test",
                "-1 5 8448 a.test",
                "10 5 99999999999 a.test")) {
            assertThatThrownBy(
                            () -> parse("federation_static_dns: {srv: {_matrix-fed._tcp.hs1.test: ['" + bad + "']}}\n"),
                            bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("homeserver.yaml: 'federation_static_dns' _matrix-fed._tcp.hs1.test: '"
                            + bad + "' is not an SRV record");
        }
        assertThatThrownBy(() -> parse("federation_static_dns: {srv: {_matrix-fed._tcp.hs1.test: ['']}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns.srv._matrix-fed._tcp.hs1.test[0]' is required");
    }

    @Test
    void aStaticDnsThatIsNotMadeOfMappingsNamesTheKey() {
        assertThatThrownBy(() -> parse("federation_static_dns: [hs1.test]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns' must be a mapping");
        assertThatThrownBy(() -> parse("federation_static_dns: hs1.test\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns' must be a mapping");
        assertThatThrownBy(() -> parse("federation_static_dns: {hosts: [hs1.test]}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns.hosts' must be a mapping");
        assertThatThrownBy(() -> parse("federation_static_dns: {srv: '1 1 8448 a.test'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_static_dns.srv' must be a mapping");
    }

    @Test
    void unknownStaticDnsKeysAreWarnedAboutOnce() {
        StaticFederationDns dns = federation(
                        "federation_static_dns:\n  hosts: {hs1.test: 127.0.0.1}\n  srv_records: {}\n  cname: {}\n")
                .staticDns()
                .orElseThrow();
        assertThat(dns).isNotNull();
        assertThat(warnings)
                .containsExactly(
                        "homeserver.yaml: unknown key 'federation_static_dns.srv_records' is ignored",
                        "homeserver.yaml: unknown key 'federation_static_dns.cname' is ignored");
    }

    @Test
    void theOlderFederationIpRangeBlacklistIsUsedWithoutIpRangeBlacklist() {
        OutboundSettings older = parse("federation_ip_range_blacklist: ['10.0.0.0/8', 'fe80::/10']\n")
                .outbound();
        assertThat(older.blockedRanges()).containsExactly("10.0.0.0/8", "fe80::/10");
        assertThat(older.allowedRanges()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void ipRangeBlacklistWinsOverTheOlderName() {
        OutboundSettings both = parse(
                        "ip_range_blacklist: ['192.168.0.0/16']\n" + "federation_ip_range_blacklist: ['10.0.0.0/8']\n")
                .outbound();
        assertThat(both.blockedRanges()).containsExactly("192.168.0.0/16");
        OutboundSettings newest = parse(
                        "ip_range_blocklist: ['192.168.0.0/16']\n" + "federation_ip_range_blacklist: ['10.0.0.0/8']\n")
                .outbound();
        assertThat(newest.blockedRanges()).containsExactly("192.168.0.0/16");
        assertThat(parse("").outbound().blockedRanges()).isEqualTo(IpBlocklist.DEFAULT_BLOCKED);
    }

    @Test
    void anEmptyFederationIpRangeBlacklistBlocksNothingAndReachesLoopback() {
        OutboundSettings none = parse("federation_ip_range_blacklist: []\n").outbound();
        assertThat(none.blockedRanges()).isEmpty();
        assertThat(none.allowedRanges()).containsExactly("127.0.0.0/8", "::1/128");
    }

    @Test
    void theBlocklistSpellingOfTheOlderNameIsReadWithoutAWarning() {
        OutboundSettings outbound =
                parse("federation_ip_range_blocklist: ['10.0.0.0/8']\n").outbound();
        assertThat(outbound.blockedRanges()).containsExactly("10.0.0.0/8");
        assertThat(warnings).as("a key that is read is not reported as ignored").isEmpty();
        assertThatThrownBy(() -> parse("federation_ip_range_blacklist: []\nfederation_ip_range_blocklist: []\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_ip_range_blocklist' must not be set together with "
                        + "federation_ip_range_blacklist");
    }

    @Test
    void aBadFederationIpRangeBlacklistNamesTheKey() {
        assertThatThrownBy(() -> parse("federation_ip_range_blacklist: ['10.0.0.0/33']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_ip_range_blacklist' holds '10.0.0.0/33', "
                        + "which is not an IP address or CIDR range");
        assertThatThrownBy(() -> parse("federation_ip_range_blacklist: '10.0.0.0/8'\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation_ip_range_blacklist' must be a list");
    }
}
