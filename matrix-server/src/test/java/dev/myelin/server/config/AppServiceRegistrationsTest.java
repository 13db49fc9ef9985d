package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application service registration files, read as Synapse reads them; bad ones stop start-up. */
class AppServiceRegistrationsTest {
    private static final String IRC = """
            id: irc
            url: "http://127.0.0.1:9999/bridge"
            as_token: as-secret
            hs_token: hs-secret
            sender_localpart: _irc_bot
            rate_limited: false
            protocols: [irc]
            receive_ephemeral: true
            namespaces:
              users:
                - {exclusive: true, regex: "@_irc_.*:example\\\\.org"}
              aliases:
                - {exclusive: false, regex: "#_irc_.*:example\\\\.org"}
              rooms: []
            """;

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private HomeserverConfig load(String... registrations) throws IOException {
        StringBuilder files = new StringBuilder("server_name: example.org\napp_service_config_files:\n");
        for (int i = 0; i < registrations.length; i++) {
            Files.writeString(dir.resolve("as" + i + ".yaml"), registrations[i]);
            files.append("  - as").append(i).append(".yaml\n");
        }
        return new ConfigLoader(warnings::add).parse("homeserver.yaml", files.toString(), dir);
    }

    @Test
    void aRegistrationIsReadWithItsNamespaces() throws IOException {
        AppServiceRegistration irc = load(IRC).appServices().getFirst();
        assertThat(irc.id()).isEqualTo("irc");
        assertThat(irc.url()).contains(URI.create("http://127.0.0.1:9999/bridge"));
        assertThat(irc.senderLocalpart()).isEqualTo("_irc_bot");
        assertThat(irc.rateLimited()).isFalse();
        assertThat(irc.receiveEphemeral()).isTrue();
        assertThat(irc.protocols()).containsExactly("irc");
        assertThat(irc.ownsUser("@_irc_alice:example.org")).isTrue();
        assertThat(irc.ownsUser("@alice:example.org")).isFalse();
        assertThat(irc.isInterestedInUser("@_irc_alice:example.org")).isTrue();
        assertThat(irc.ownsAlias("#_irc_room:example.org")).as("not exclusive").isFalse();
        assertThat(irc.toString()).doesNotContain("secret");
        assertThat(warnings).isEmpty();
    }

    @Test
    void noFilesNoServicesAndANullUrlWantsNoTraffic() throws IOException {
        assertThat(new ConfigLoader(warnings::add)
                        .parse("homeserver.yaml", "server_name: example.org\n", dir)
                        .appServices())
                .isEmpty();
        AppServiceRegistration quiet = load(IRC.replace("url: \"http://127.0.0.1:9999/bridge\"", "url: null"))
                .appServices()
                .getFirst();
        assertThat(quiet.url()).isEqualTo(Optional.empty());
        assertThat(quiet.rateLimited()).isFalse();
    }

    @Test
    void badRegistrationsStopStartUpNamingTheFile() {
        assertThatThrownBy(() -> new ConfigLoader(warnings::add)
                        .parse(
                                "homeserver.yaml",
                                "server_name: example.org\napp_service_config_files: [nope.yaml]\n",
                                dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml does not exist");
        assertThatThrownBy(() -> load(IRC.replace("as_token: as-secret\n", "")))
                .hasMessageContaining("as0.yaml")
                .hasMessageContaining("as_token");
        assertThatThrownBy(() -> load(IRC.replace("http://127.0.0.1:9999/bridge", "ftp://x/")))
                .hasMessageContaining("must be an http or https URL");
        assertThatThrownBy(() -> load(IRC.replace("\"@_irc_.*:example\\\\.org\"", "\"@_irc_[\"")))
                .hasMessageContaining("is not a valid regular expression");
        assertThatThrownBy(() -> load(IRC.replace("sender_localpart: _irc_bot", "sender_localpart: \"bad bot\"")))
                .hasMessageContaining("is not a valid user localpart");
        assertThatThrownBy(() -> load(IRC.replace("hs_token: hs-secret", "hs_token: as-secret")))
                .hasMessageContaining("as_token and hs_token must differ");
        assertThatThrownBy(() -> load("just text")).hasMessageContaining("must be a mapping");
    }

    @Test
    void twoServicesMayNotShareAnIdATokenOrAnExclusiveNamespace() {
        String other = IRC.replace("id: irc", "id: slack")
                .replace("as-secret", "as2")
                .replace("hs-secret", "hs2")
                .replace("_irc_bot", "_slack_bot");
        assertThatThrownBy(() -> load(IRC, other)).hasMessageContaining("share the exclusive namespace");
        assertThatThrownBy(() -> load(IRC, IRC.replace("_irc_", "_x_"))).hasMessageContaining("share the id 'irc'");
        assertThatThrownBy(() -> load(IRC, other.replace("as2", "as-secret").replace("_irc_", "_x_")))
                .hasMessageContaining("share an as_token");
    }

    @Test
    void overlappingExclusiveNamespacesAreRefusedAndMereInterestIsNot() throws IOException {
        String other = IRC.replace("id: irc", "id: slack")
                .replace("as-secret", "as2")
                .replace("hs-secret", "hs2")
                .replace("_irc_bot", "_slack_bot");
        assertThatThrownBy(() -> load(IRC, other.replace("@_irc_.*", "@_irc_b.*")))
                .hasMessageContaining("overlapping exclusive users namespaces")
                .hasMessageContaining("both hold @_irc_b");
        assertThatThrownBy(() -> load(IRC, other.replace("@_irc_.*", "@.*")))
                .hasMessageContaining("overlapping exclusive users namespaces");
        assertThat(load(IRC, other.replace("@_irc_.*", "@_slack_.*")).appServices())
                .hasSize(2);
        assertThat(load(IRC, other.replace("{exclusive: true, regex: \"@_irc_.*", "{exclusive: false, regex: \"@.*"))
                        .appServices())
                .as("a bot interested in every user next to a bridge")
                .hasSize(2);
    }

    @Test
    void aWitnessIsFoundOnlyWhereBothMatch() {
        assertThat(NamespaceOverlap.witness(
                        Pattern.compile("@bridge_.*:localhost"), Pattern.compile("@bridge_b.*:localhost")))
                .hasValueSatisfying(id -> assertThat(id).startsWith("@bridge_b").endsWith(":localhost"));
        assertThat(NamespaceOverlap.witness(
                        Pattern.compile("@irc_[0-9]+:example\\.org"), Pattern.compile("@irc_ab.*:example\\.org")))
                .isEmpty();
        assertThat(NamespaceOverlap.prefix("^@irc_\\.x+y.*$")).isEqualTo("@irc_.");
        assertThat(NamespaceOverlap.suffix("@irc_.*:example\\.org$")).isEqualTo(":example.org");
        assertThat(NamespaceOverlap.prefix("@a|@b")).isEmpty();
    }
}
