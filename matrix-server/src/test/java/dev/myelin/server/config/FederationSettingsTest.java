package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.ratelimit.FederationRateLimitConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link FederationSettings#verifiesCertificateOf}: every certificate is checked unless {@code
 * federation_verify_certificates} is false or the host matches a glob of {@code
 * federation_certificate_verification_whitelist}, without regard to case.
 */
class FederationSettingsTest {
    private static FederationSettings whitelisting(String... patterns) {
        return new FederationSettings(
                true,
                List.of(patterns),
                FederationDomainWhitelist.everyone(),
                Optional.empty(),
                FederationRateLimitConfig.DEFAULTS);
    }

    @Test
    void byDefaultEveryCertificateIsChecked() {
        FederationSettings defaults = FederationSettings.defaults();
        assertThat(defaults.verifiesCertificateOf("example.org")).isTrue();
        assertThat(defaults.verifiesCertificateOf("127.0.0.1")).isTrue();
        assertThat(defaults.verifiesCertificateOf("")).isTrue();
    }

    @Test
    void withVerificationOffNoCertificateIsChecked() {
        FederationSettings off = new FederationSettings(
                false,
                List.of(),
                FederationDomainWhitelist.everyone(),
                Optional.empty(),
                FederationRateLimitConfig.DEFAULTS);
        assertThat(off.verifiesCertificateOf("example.org")).isFalse();
        assertThat(off.verifiesCertificateOf("hs1.test")).isFalse();
        FederationSettings offWithList = new FederationSettings(
                false,
                List.of("other.test"),
                FederationDomainWhitelist.everyone(),
                Optional.empty(),
                FederationRateLimitConfig.DEFAULTS);
        assertThat(offWithList.verifiesCertificateOf("example.org"))
                .as("the list only adds exceptions to checking")
                .isFalse();
    }

    @Test
    void aPlainEntryMatchesThatHostOnly() {
        FederationSettings settings = whitelisting("lon.example.com");
        assertThat(settings.verifiesCertificateOf("lon.example.com")).isFalse();
        assertThat(settings.verifiesCertificateOf("nyc.example.com")).isTrue();
        assertThat(settings.verifiesCertificateOf("xlon.example.com")).isTrue();
        assertThat(settings.verifiesCertificateOf("lon.example.com.evil.test"))
                .as("the whole name must match, not a prefix")
                .isTrue();
        assertThat(settings.verifiesCertificateOf("lon.example.co")).isTrue();
    }

    @Test
    void dotsAndOtherRegexCharactersAreLiteral() {
        FederationSettings settings = whitelisting("lon.example.com", "a+b.test", "(x).test", "[v].test");
        assertThat(settings.verifiesCertificateOf("lonXexampleYcom"))
                .as("a dot is not 'any character'")
                .isTrue();
        assertThat(settings.verifiesCertificateOf("a+b.test")).isFalse();
        assertThat(settings.verifiesCertificateOf("aab.test")).isTrue();
        assertThat(settings.verifiesCertificateOf("(x).test")).isFalse();
        assertThat(settings.verifiesCertificateOf("x.test")).isTrue();
        assertThat(settings.verifiesCertificateOf("[v].test")).isFalse();
        assertThat(settings.verifiesCertificateOf("v.test")).isTrue();
    }

    @Test
    void aStarMatchesAnyRunOfCharactersIncludingDotsAndNone() {
        FederationSettings settings = whitelisting("*.domain.com");
        assertThat(settings.verifiesCertificateOf("matrix.domain.com")).isFalse();
        assertThat(settings.verifiesCertificateOf("a.b.domain.com"))
                .as("a star spans dots")
                .isFalse();
        assertThat(settings.verifiesCertificateOf(".domain.com")).isFalse();
        assertThat(settings.verifiesCertificateOf("domain.com"))
                .as("the dot before the suffix is literal")
                .isTrue();
        assertThat(settings.verifiesCertificateOf("matrix.domain.com.evil.test"))
                .isTrue();
        assertThat(settings.verifiesCertificateOf("matrixdomain.com")).isTrue();
    }

    @Test
    void starsMayStandAnywhereAndRepeat() {
        FederationSettings settings = whitelisting("hs*.test", "*.onion", "a*b*c.test", "*");
        assertThat(whitelisting("hs*.test").verifiesCertificateOf("hs1.test")).isFalse();
        assertThat(whitelisting("hs*.test").verifiesCertificateOf("hs.test")).isFalse();
        assertThat(whitelisting("hs*.test").verifiesCertificateOf("hs1.test.org"))
                .isTrue();
        assertThat(whitelisting("*.onion").verifiesCertificateOf("xyz.onion")).isFalse();
        assertThat(whitelisting("a*b*c.test").verifiesCertificateOf("a1b2c.test"))
                .isFalse();
        assertThat(whitelisting("a*b*c.test").verifiesCertificateOf("abc.test")).isFalse();
        assertThat(whitelisting("a*b*c.test").verifiesCertificateOf("acb.test")).isTrue();
        assertThat(settings.verifiesCertificateOf("anything.example"))
                .as("a lone star matches all")
                .isFalse();
    }

    @Test
    void aQuestionMarkMatchesOneCharacter() {
        FederationSettings settings = whitelisting("hs?.test");
        assertThat(settings.verifiesCertificateOf("hs1.test")).isFalse();
        assertThat(settings.verifiesCertificateOf("hs.test")).isTrue();
        assertThat(settings.verifiesCertificateOf("hs12.test")).isTrue();
    }

    @Test
    void matchingIgnoresCaseOnBothSides() {
        assertThat(whitelisting("*.Domain.COM").verifiesCertificateOf("matrix.domain.com"))
                .isFalse();
        assertThat(whitelisting("*.domain.com").verifiesCertificateOf("MATRIX.Domain.Com"))
                .isFalse();
        assertThat(whitelisting("LON.example.com").verifiesCertificateOf("lon.EXAMPLE.com"))
                .isFalse();
    }

    @Test
    void anIpv6HostIsMatchedWithoutItsBrackets() {
        // a URI's host keeps the brackets of an IPv6 literal; the certificate name has none
        FederationSettings settings = whitelisting("2001:db8::1", "fe80::*");
        assertThat(settings.verifiesCertificateOf("[2001:db8::1]")).isFalse();
        assertThat(settings.verifiesCertificateOf("2001:db8::1")).isFalse();
        assertThat(settings.verifiesCertificateOf("[fe80::abcd]")).isFalse();
        assertThat(settings.verifiesCertificateOf("[2001:db8::2]")).isTrue();
    }

    @Test
    void anyMatchingEntryIsEnough() {
        FederationSettings settings = whitelisting("a.test", "*.b.test", "c.test");
        assertThat(settings.verifiesCertificateOf("a.test")).isFalse();
        assertThat(settings.verifiesCertificateOf("x.b.test")).isFalse();
        assertThat(settings.verifiesCertificateOf("c.test")).isFalse();
        assertThat(settings.verifiesCertificateOf("d.test")).isTrue();
    }

    @Test
    void theListIsCopied() {
        List<String> patterns = new java.util.ArrayList<>(List.of("a.test"));
        FederationSettings settings = new FederationSettings(
                true,
                patterns,
                FederationDomainWhitelist.everyone(),
                Optional.empty(),
                FederationRateLimitConfig.DEFAULTS);
        patterns.add("b.test");
        assertThat(settings.verifiesCertificateOf("b.test")).isTrue();
        assertThat(settings.certificateVerificationWhitelist()).containsExactly("a.test");
    }
}
