package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private final List<String> warnings = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(warnings::add);
    private final Path dir = Path.of("/srv/myelin");

    private HomeserverConfig parse(String yaml) {
        return loader.parse("homeserver.yaml", yaml, dir);
    }

    @Test
    void readsSynapseStyleKeys() {
        HomeserverConfig config = parse("""
                server_name: example.org
                public_baseurl: https://matrix.example.org
                listeners:
                  - port: 8008
                    bind_addresses: ['127.0.0.1']
                    type: http
                    x_forwarded: true
                    resources:
                      - names: [client, federation]
                database:
                  name: psycopg2
                  args: {user: synapse, database: synapse, host: localhost, cp_min: 5, cp_max: 10}
                signing_key_path: keys/example.org.signing.key
                enable_registration: true
                registration_shared_secret: s3cret
                max_upload_size: 10M
                rc_message: {per_second: 1.5, burst_count: 20}
                rc_login:
                  address: {per_second: 0.5, burst_count: 2}
                """);
        assertThat(config.serverName()).isEqualTo("example.org");
        assertThat(config.publicBaseUrl()).isEqualTo("https://matrix.example.org/");
        assertThat(config.listeners())
                .containsExactly(new ListenerConfig(
                        8008, List.of("127.0.0.1"), false, true, java.util.Set.of("client", "federation")));
        assertThat(config.database()).containsEntry("name", "psycopg2");
        assertThat(((Map<?, ?>) config.database().get("args")).get("cp_max")).isEqualTo(10L);
        assertThat(config.signingKeyPath()).isEqualTo(dir.resolve("keys/example.org.signing.key"));
        assertThat(config.enableRegistration()).isTrue();
        assertThat(config.registrationSharedSecret()).hasValue("s3cret");
        assertThat(config.maxUploadSizeBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.rateLimit("rc_message")).isEqualTo(new RateLimitConfig(1.5, 20));
        assertThat(config.rateLimit("rc_login.address")).isEqualTo(new RateLimitConfig(0.5, 2));
        assertThat(config.rateLimit("rc_login.account"))
                .isEqualTo(ConfigLoader.DEFAULT_RATE_LIMITS.get("rc_login.account"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void acceptsSynapsesListenerResourceNamesIncludingOpenId() {
        HomeserverConfig config = parse("""
                server_name: example.org
                listeners:
                  - port: 8448
                    resources:
                      - names: [client, federation, keys, media, openid]
                        compress: false
                """);
        assertThat(config.listeners().getFirst().resources())
                .containsExactlyInAnyOrder("client", "federation", "keys", "media", "openid");
        assertThat(warnings).isEmpty();
    }

    @Test
    void refusesAnUnknownListenerResourceName() {
        assertThatThrownBy(() -> parse("""
                        server_name: example.org
                        listeners:
                          - port: 8448
                            resources:
                              - names: [client, webclient2]
                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown resource 'webclient2'");
    }

    @Test
    void readsAnchorsAliasesAndMergeKeys() {
        HomeserverConfig config = parse("""
                server_name: example.org
                rc_message: &default {per_second: 0.5, burst_count: 3}
                rc_login:
                  address: *default
                  account: *default
                  failed_attempts:
                    <<: *default
                    burst_count: 7
                database: &db
                  name: sqlite3
                  args: {database: one.db}
                """);
        RateLimitConfig expected = new RateLimitConfig(0.5, 3);
        assertThat(config.rateLimit("rc_message")).isEqualTo(expected);
        assertThat(config.rateLimit("rc_login.address")).isEqualTo(expected);
        assertThat(config.rateLimit("rc_login.account")).isEqualTo(expected);
        assertThat(config.rateLimit("rc_login.failed_attempts"))
                .as("own keys win over merged ones")
                .isEqualTo(new RateLimitConfig(0.5, 7));
        assertThat(config.database()).containsEntry("name", "sqlite3");
        assertThat(warnings).isEmpty();

        assertThatThrownBy(() -> parse("server_name: example.org\nrc_message: *nowhere\n"))
                .hasMessageContaining("homeserver.yaml")
                .hasMessageContaining("nowhere");
        StringBuilder laughs = new StringBuilder("server_name: example.org\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            laughs.append(("*a" + (i - 1) + ", ").repeat(9))
                    .append("*a")
                    .append(i - 1)
                    .append("]\n");
        }
        assertThatThrownBy(() -> parse(laughs.toString()))
                .as("aliases cannot blow a small file up")
                .hasMessageContaining("expand to more than");
    }

    @Test
    void fillsDefaultsForAMinimalConfig() {
        HomeserverConfig config = parse("server_name: localhost\n");
        assertThat(config.database()).containsEntry("name", "sqlite3");
        assertThat(config.listeners()).hasSize(1);
        assertThat(config.enableRegistration()).isFalse();
        assertThat(config.defaultRoomVersion()).isEqualTo("10");
        assertThat(config.maxUploadSizeBytes()).isEqualTo(50L * 1024 * 1024);
    }

    @Test
    void warnsAboutUnknownKeys() {
        parse("server_name: localhost\nfrobnicate: true\n");
        assertThat(warnings).containsExactly("homeserver.yaml: unknown key 'frobnicate' is ignored");
    }

    @Test
    void namesTheKeyOfAnInvalidValue() {
        assertThatThrownBy(() -> parse("server_name: localhost\nlisteners:\n  - port: 99999\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'listeners[0].port' must be an integer from 0 to 65535");
        assertThatThrownBy(() -> parse("server_name: localhost\nenable_registration: yes please\n"))
                .hasMessage("homeserver.yaml: 'enable_registration' must be true or false");
        assertThatThrownBy(() -> parse("server_name: localhost\nmax_upload_size: lots\n"))
                .hasMessageContaining("'max_upload_size' must be a size");
        assertThatThrownBy(() -> parse("server_name: localhost\ndefault_room_version: '99'\n"))
                .hasMessageContaining("'default_room_version' is not a known stable room version");
        assertThatThrownBy(() -> parse("server_name: localhost\nrc_message: {per_second: -1}\n"))
                .hasMessageContaining("'rc_message.per_second' must be a number");
    }

    @Test
    void bcryptRoundsDefaultToTwelveAndMustBeAUsableCost() {
        assertThat(parse("server_name: localhost\n").bcryptRounds()).isEqualTo(12);
        assertThat(parse("server_name: localhost\nbcrypt_rounds: 4\n").bcryptRounds())
                .isEqualTo(4);
        assertThatThrownBy(() -> parse("server_name: localhost\nbcrypt_rounds: 3\n"))
                .hasMessage("homeserver.yaml: 'bcrypt_rounds' must be an integer from 4 to 31");
        assertThatThrownBy(() -> parse("server_name: localhost\nbcrypt_rounds: twelve\n"))
                .hasMessage("homeserver.yaml: 'bcrypt_rounds' must be an integer from 4 to 31");
    }

    @Test
    void tlsListenersNeedACertificateAndKey() {
        String tlsListener = "server_name: localhost\nlisteners:\n  - port: 8448\n    tls: true\n";
        assertThatThrownBy(() -> parse(tlsListener))
                .hasMessage("homeserver.yaml: 'tls_certificate_path' is required when a listener has tls: true");
        assertThatThrownBy(() -> parse(tlsListener + "tls_certificate_path: cert.pem\n"))
                .hasMessage("homeserver.yaml: 'tls_private_key_path' is required when a listener has tls: true");
        HomeserverConfig config =
                parse(tlsListener + "tls_certificate_path: cert.pem\ntls_private_key_path: key.pem\n");
        assertThat(config.listeners().get(0).tls()).isTrue();
        assertThat(config.tlsCertificatePath()).contains(dir.resolve("cert.pem"));
        assertThat(config.tlsPrivateKeyPath()).contains(dir.resolve("key.pem"));
    }

    @Test
    void guestAccessIsOffUnlessAllowed() {
        assertThat(parse("server_name: example.org\n").allowGuestAccess()).isFalse();
        assertThat(parse("server_name: example.org\nallow_guest_access: true\n").allowGuestAccess())
                .isTrue();
        assertThatThrownBy(() -> parse("server_name: example.org\nallow_guest_access: sometimes\n"))
                .hasMessageContaining("allow_guest_access");
        assertThat(warnings).isEmpty();
    }

    @Test
    void requiresAValidServerName() {
        assertThatThrownBy(() -> parse("public_baseurl: http://x/\n"))
                .hasMessage("homeserver.yaml: 'server_name' is required");
        assertThatThrownBy(() -> parse("server_name: 'bad host'\n"))
                .hasMessageContaining("'server_name' is not a valid server name");
    }

    @Test
    void rejectsSomethingThatIsNotAMapping() {
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("must be a YAML mapping");
        assertThatThrownBy(() -> parse("server_name: [unclosed\n")).hasMessageContaining("not valid YAML");
    }

    @Test
    void reportsAMissingFile() {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/homeserver.yaml")))
                .hasMessageContaining("/nonexistent/homeserver.yaml: config file does not exist");
    }

    @Test
    void mediaSettingsHaveSafeDefaults() {
        MediaConfig media = parse("server_name: localhost\n").media();
        assertThat(media.enableAuthenticatedMedia()).isTrue();
        assertThat(media.urlPreviewEnabled()).isFalse();
        assertThat(media.urlPreviewBlockedRanges()).isEqualTo(dev.myelin.http.client.IpBlocklist.DEFAULT_BLOCKED);
        assertThat(media.urlPreviewAllowedRanges()).isEmpty();
        assertThat(media.urlPreviewMaxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(media.maxImagePixels()).isEqualTo(32L * 1024 * 1024);
        assertThat(warnings).isEmpty();
    }

    @Test
    void readsMediaSettings() {
        MediaConfig media = parse("""
                server_name: localhost
                enable_authenticated_media: false
                url_preview_enabled: true
                url_preview_ip_range_blacklist: ['10.0.0.0/8', '127.0.0.0/8', 'fe80::/10']
                url_preview_ip_range_whitelist: ['127.0.0.1']
                max_spider_size: 2M
                max_image_pixels: 1M
                """).media();
        assertThat(media.enableAuthenticatedMedia()).isFalse();
        assertThat(media.urlPreviewEnabled()).isTrue();
        assertThat(media.urlPreviewBlockedRanges()).containsExactly("10.0.0.0/8", "127.0.0.0/8", "fe80::/10");
        assertThat(media.urlPreviewAllowedRanges()).containsExactly("127.0.0.1");
        assertThat(media.urlPreviewMaxBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(media.maxImagePixels()).isEqualTo(1024L * 1024);
        assertThat(warnings).isEmpty();

        MediaConfig newNames = parse("server_name: localhost\nurl_preview_ip_range_blocklist: ['10.0.0.0/8']\n"
                        + "url_preview_ip_range_allowlist: ['10.1.2.3']\n")
                .media();
        assertThat(newNames.urlPreviewBlockedRanges()).containsExactly("10.0.0.0/8");
        assertThat(newNames.urlPreviewAllowedRanges()).containsExactly("10.1.2.3");
    }

    @Test
    void rejectsBadMediaSettings() {
        assertThatThrownBy(() -> parse("server_name: localhost\nurl_preview_ip_range_blacklist: ['10.0.0.0/33']\n"))
                .hasMessage("homeserver.yaml: 'url_preview_ip_range_blacklist' holds '10.0.0.0/33', "
                        + "which is not an IP address or CIDR range");
        assertThatThrownBy(() -> parse("server_name: localhost\nurl_preview_ip_range_whitelist: ['example.org']\n"))
                .hasMessageContaining("'url_preview_ip_range_whitelist' holds 'example.org'");
        assertThatThrownBy(() -> parse("server_name: localhost\nurl_preview_ip_range_blacklist: '10.0.0.0/8'\n"))
                .hasMessageContaining("'url_preview_ip_range_blacklist' must be a list");
        assertThatThrownBy(() -> parse("server_name: localhost\nurl_preview_ip_range_blacklist: []\n"
                        + "url_preview_ip_range_blocklist: []\n"))
                .hasMessageContaining("'url_preview_ip_range_blocklist' must not be set together with "
                        + "url_preview_ip_range_blacklist");
        assertThatThrownBy(() -> parse("server_name: localhost\nenable_authenticated_media: maybe\n"))
                .hasMessage("homeserver.yaml: 'enable_authenticated_media' must be true or false");
        assertThatThrownBy(() -> parse("server_name: localhost\nmax_image_pixels: -5\n"))
                .hasMessageContaining("'max_image_pixels' must be a positive size");
        assertThatThrownBy(() -> parse("server_name: localhost\nmax_spider_size: big\n"))
                .hasMessageContaining("'max_spider_size' must be a size");
    }

    @Test
    void outboundRangesDefaultAndAnEmptyBlocklistReachesLoopback() {
        OutboundSettings defaults = parse("server_name: localhost\n").outbound();
        assertThat(defaults.blockedRanges()).isEqualTo(dev.myelin.http.client.IpBlocklist.DEFAULT_BLOCKED);
        assertThat(defaults.allowedRanges()).isEmpty();
        assertThat(defaults.trust().isSystemOnly()).isTrue();

        OutboundSettings own = parse("server_name: localhost\nip_range_blocklist: ['10.0.0.0/8']\n"
                        + "ip_range_allowlist: ['10.1.2.3']\n")
                .outbound();
        assertThat(own.blockedRanges()).containsExactly("10.0.0.0/8");
        assertThat(own.allowedRanges()).containsExactly("10.1.2.3");

        // "block nothing", as Synapse reads it: loopback too, for push and for previews
        HomeserverConfig none = parse("server_name: localhost\nip_range_blacklist: []\n"
                + "url_preview_ip_range_blacklist: []\nurl_preview_ip_range_whitelist: ['10.1.2.3']\n");
        assertThat(none.outbound().blockedRanges()).isEmpty();
        assertThat(none.outbound().allowedRanges()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(none.media().urlPreviewAllowedRanges()).containsExactly("10.1.2.3", "127.0.0.0/8", "::1/128");
        assertThat(warnings).isEmpty();

        assertThatThrownBy(() -> parse("server_name: localhost\nip_range_whitelist: ['example.org']\n"))
                .hasMessageContaining("'ip_range_whitelist' holds 'example.org'");
        assertThatThrownBy(() -> parse("server_name: localhost\nip_range_blacklist: []\nip_range_blocklist: []\n"))
                .hasMessageContaining("must not be set together");
    }

    @Test
    void customCasAreReadAndTheInsecureSwitchIsIgnored(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> parse("server_name: localhost\nfederation_custom_ca_list: ['/nonexistent/ca.pem']\n"))
                .hasMessageContaining("'federation_custom_ca_list' cannot be used")
                .hasMessageContaining("/nonexistent/ca.pem");
        Path garbage = java.nio.file.Files.writeString(tmp.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> parse("server_name: localhost\nfederation_custom_ca_list: ['" + garbage + "']\n"))
                .hasMessageContaining("garbage.pem");

        parse("server_name: localhost\nuse_insecure_ssl_client_just_for_testing_do_not_use: true\n");
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("use_insecure_ssl_client_just_for_testing_do_not_use is ignored");
    }

    @Test
    void httpTimeoutsDefaultAndParse() {
        assertThat(parse("server_name: localhost\n").connectionTimeouts()).isEqualTo(ConnectionTimeouts.DEFAULT);
        assertThat(ConnectionTimeouts.DEFAULT)
                .isEqualTo(new ConnectionTimeouts(
                        java.time.Duration.ofSeconds(30),
                        java.time.Duration.ofSeconds(15),
                        java.time.Duration.ofSeconds(20)));
        ConnectionTimeouts set = parse("server_name: localhost\n"
                        + "http_timeouts: {idle: 2m, request_headers: 1500, request_body: 1h}\n")
                .connectionTimeouts();
        assertThat(set)
                .isEqualTo(new ConnectionTimeouts(
                        java.time.Duration.ofMinutes(2),
                        java.time.Duration.ofMillis(1500),
                        java.time.Duration.ofHours(1)));
        assertThat(parse("server_name: localhost\nhttp_timeouts: {request_headers: 500ms}\n")
                        .connectionTimeouts())
                .isEqualTo(new ConnectionTimeouts(
                        java.time.Duration.ofSeconds(30),
                        java.time.Duration.ofMillis(500),
                        java.time.Duration.ofSeconds(20)));
        assertThat(warnings).isEmpty();
    }

    @Test
    void badHttpTimeoutsStopStartUp() {
        assertThatThrownBy(() -> parse("server_name: localhost\nhttp_timeouts: {request_headers: soon}\n"))
                .hasMessage(
                        "homeserver.yaml: 'http_timeouts.request_headers' must be a duration such as 30s, 500ms or 5m");
        assertThatThrownBy(() -> parse("server_name: localhost\nhttp_timeouts: {idle: 0s}\n"))
                .hasMessage("homeserver.yaml: 'http_timeouts.idle' must be a positive duration such as 30s");
        assertThatThrownBy(() -> parse("server_name: localhost\nhttp_timeouts: {idle: -5s}\n"))
                .hasMessageContaining("'http_timeouts.idle' must be a duration");
        assertThatThrownBy(() -> parse("server_name: localhost\nhttp_timeouts: {idle: 99999999999999999d}\n"))
                .hasMessageContaining("'http_timeouts.idle' must be a duration");
        assertThatThrownBy(() -> parse("server_name: localhost\nhttp_timeouts: 30s\n"))
                .hasMessage("homeserver.yaml: 'http_timeouts' must be a mapping");
        parse("server_name: localhost\nhttp_timeouts: {header: 10s}\n");
        assertThat(warnings).containsExactly("homeserver.yaml: unknown key 'http_timeouts.header' is ignored");
    }

    @Test
    void presenceIsOnUnlessTurnedOffInEitherSpelling() {
        String base = """
                server_name: example.org
                listeners: [{port: 8008, type: http, resources: [{names: [client]}]}]
                """;
        assertThat(parse(base).presenceEnabled()).isTrue();
        assertThat(parse(base + "presence: {enabled: false}\n").presenceEnabled())
                .isFalse();
        assertThat(parse(base + "use_presence: false\n").presenceEnabled()).isFalse();
        assertThat(parse(base + "use_presence: false\npresence: {enabled: true}\n")
                        .presenceEnabled())
                .isTrue();
        assertThatThrownBy(() -> parse(base + "presence: [on]\n")).hasMessageContaining("presence");
        parse(base + "presence: {enabled: true, include_offline_users_on_sync: true}\n");
        assertThat(warnings).anyMatch(w -> w.contains("include_offline_users_on_sync"));
    }
}
