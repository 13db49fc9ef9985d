package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerNoticesConfigTest {
    private final List<String> warnings = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(warnings::add);

    private HomeserverConfig parse(String yaml) {
        return loader.parse("homeserver.yaml", yaml, Path.of("/srv/myelin"));
    }

    @Test
    void serverNoticesAreOffUnlessALocalpartIsGiven() {
        assertThat(parse("server_name: localhost\n").serverNotices()).isEmpty();
        assertThat(parse("server_name: localhost\nserver_notices: {room_name: X}\n")
                        .serverNotices())
                .isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void readsSynapsesKeys() {
        HomeserverConfig config = parse("""
                server_name: localhost
                server_notices:
                  system_mxid_localpart: notices
                  system_mxid_display_name: Server
                  system_mxid_avatar_url: mxc://localhost/abc
                """);
        assertThat(config.serverNotices())
                .contains(new ServerNoticesConfig(
                        "notices", Optional.of("Server"), Optional.of("mxc://localhost/abc"), "Server Notices"));
        assertThat(warnings).isEmpty();
        assertThatThrownBy(() -> parse("server_name: localhost\nserver_notices: {system_mxid_localpart: 'Not Ok'}\n"))
                .hasMessageContaining("'server_notices.system_mxid_localpart'");
    }
}
