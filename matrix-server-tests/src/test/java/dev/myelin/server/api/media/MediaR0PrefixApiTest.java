package dev.myelin.server.api.media;

import static dev.myelin.server.api.media.MediaHttp.get;
import static dev.myelin.server.api.media.MediaHttp.send;
import static dev.myelin.server.api.media.MediaHttp.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pre-v1.1 {@code /_matrix/media/r0/} prefix that older clients use, served as v3. */
@ExtendWith(HomeserverExtension.class)
class MediaR0PrefixApiTest {
    private static final String R0 = "/_matrix/media/r0/";

    private static String uploadOnR0(TestHomeserver hs, TestClient client, byte[] body) {
        String uri = send(
                        hs,
                        "POST",
                        R0 + "upload?filename=a.png",
                        token(client),
                        Map.of("Content-Type", "image/png"),
                        body,
                        false)
                .expect(200)
                .json()
                .get("content_uri")
                .asText();
        assertThat(uri).startsWith("mxc://" + hs.serverName() + "/");
        return uri.substring(("mxc://" + hs.serverName() + "/").length());
    }

    @Test
    void uploadAndConfigWorkOnR0AndNeedAToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = uploadOnR0(hs, alice, new byte[] {1, 2, 3});
        assertThat(get(hs, MediaHttp.download(hs, id), token(alice)).expect(200).body())
                .containsExactly(1, 2, 3);

        MediaHttp.Response anonymous =
                send(hs, "POST", R0 + "upload", Optional.empty(), Map.of(), new byte[] {1}, false);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errcode()).isEqualTo("M_MISSING_TOKEN");

        MediaHttp.Response config = get(hs, R0 + "config", token(alice)).expect(200);
        assertThat(config.json().get("m.upload.size").asLong())
                .isEqualTo(get(hs, "/_matrix/media/v3/config", token(alice))
                        .expect(200)
                        .json()
                        .get("m.upload.size")
                        .asLong());
    }

    @Test
    void downloadsOnR0FollowTheSameFreezeAsV3(TestHomeserver hs) throws IOException {
        TestClient alice = hs.registerUser("alice");
        String frozen = uploadOnR0(hs, alice, new byte[] {1, 2});
        String r0Download = R0 + "download/" + hs.serverName() + "/";
        MediaHttp.Response refused = get(hs, r0Download + frozen, Optional.empty());
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(get(hs, R0 + "thumbnail/" + hs.serverName() + "/" + frozen + "?width=32&height=32", token(alice))
                        .errcode())
                .isEqualTo("M_NOT_FOUND");

        String old = "OldMediaFromBeforeTheSwitch";
        Path file = new MediaFiles(hs.homeserver().config().mediaStorePath()).content(new MediaId(old));
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {4, 5, 6});
        hs.homeserver().testSeam().media().record(old, "text/plain", 3, Optional.empty(), UserId.parse(alice.userId()));
        assertThat(get(hs, r0Download + old, Optional.empty()).expect(200).body())
                .containsExactly(4, 5, 6);
        assertThat(get(hs, r0Download + old + "/notes.txt", Optional.empty())
                        .expect(200)
                        .body())
                .containsExactly(4, 5, 6);
    }

    @Test
    @OverrideConfig(key = "enable_authenticated_media", value = "false")
    void withoutAuthenticatedMediaR0ServesEverything(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = uploadOnR0(hs, alice, new byte[] {9, 8});
        assertThat(get(hs, R0 + "download/" + hs.serverName() + "/" + id, Optional.empty())
                        .expect(200)
                        .body())
                .containsExactly(9, 8);
        MediaHttp.Response thumbnail =
                get(hs, R0 + "thumbnail/" + hs.serverName() + "/" + id + "?width=32&height=32", Optional.empty());
        assertThat(thumbnail.status()).isNotEqualTo(500);
    }

    @Test
    void unknownPathsUnderR0AreUnrecognized(TestHomeserver hs) {
        MediaHttp.Response response = get(hs, R0 + "no_such_thing", Optional.empty());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errcode()).isEqualTo("M_UNRECOGNIZED");
    }
}
