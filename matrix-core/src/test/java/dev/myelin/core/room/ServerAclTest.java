package dev.myelin.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.id.ServerName;
import org.junit.jupiter.api.Test;

class ServerAclTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServerAcl acl(String content) throws Exception {
        JsonNode node = JSON.readTree(content);
        return ServerAcl.fromContent(node);
    }

    private static boolean allows(ServerAcl acl, String server) {
        return acl.allows(ServerName.parse(server));
    }

    @Test
    void denyWinsOverAllowAndTheRestIsDenied() throws Exception {
        ServerAcl acl = acl("{\"allow\": [\"*\"], \"deny\": [\"evil.com\", \"*.evil.com\"]}");
        assertThat(allows(acl, "good.org")).isTrue();
        assertThat(allows(acl, "evil.com")).isFalse();
        assertThat(allows(acl, "EVIL.com:8448")).as("case and port are ignored").isFalse();
        assertThat(allows(acl, "sub.evil.com")).isFalse();
        assertThat(allows(acl, "notevil.com")).isTrue();

        ServerAcl only = acl("{\"allow\": [\"*.example.org\", \"h?.test\"]}");
        assertThat(allows(only, "a.example.org")).isTrue();
        assertThat(allows(only, "example.org")).isFalse();
        assertThat(allows(only, "hs.test")).isTrue();
        assertThat(allows(only, "hss.test")).isFalse();
    }

    @Test
    void ipLiteralsFollowAllowIpLiteralsAndMissingFieldsTakeTheDefaults() throws Exception {
        ServerAcl noLiterals = acl("{\"allow\": [\"*\"], \"allow_ip_literals\": false}");
        assertThat(allows(noLiterals, "1.2.3.4")).isFalse();
        assertThat(allows(noLiterals, "[::1]:8448")).isFalse();
        assertThat(allows(noLiterals, "example.org")).isTrue();

        ServerAcl notBoolean = acl("{\"allow\": [\"*\"], \"allow_ip_literals\": \"no\"}");
        assertThat(allows(notBoolean, "1.2.3.4")).as("not a boolean: true").isTrue();

        assertThat(allows(acl("{}"), "example.org"))
                .as("no allow list allows nobody")
                .isFalse();
        assertThat(allows(acl("{\"allow\": [\"*\", 5, null], \"deny\": \"evil.com\"}"), "evil.com"))
                .as("malformed entries and lists are skipped")
                .isTrue();
    }
}
