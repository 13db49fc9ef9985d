package dev.myelin.server.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The federation media endpoints, asked by a server whose key the homeserver knows. */
@ExtendWith(HomeserverExtension.class)
class FederationMediaApiTest {
    private static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");
    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");

    private static void trustRemote(TestHomeserver hs) {
        long now = hs.time().nowMillis();
        ServerKeys keys =
                new ServerKeys(REMOTE, Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()), Map.of(), now + 3_600_000);
        hs.homeserver().testSeam().rememberServerKeys(JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY), now);
    }

    private static MediaHttp.Response signedGet(TestHomeserver hs, String uri) {
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign("GET", uri, ServerName.parse(hs.serverName()), Optional.empty())
                .format();
        return MediaHttp.send(hs, "GET", uri, Optional.empty(), Map.of("Authorization", header), null, false);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String boundary(MediaHttp.Response r) {
        String type = r.header("Content-Type");
        assertThat(type).startsWith("multipart/mixed; boundary=");
        return type.substring("multipart/mixed; boundary=".length());
    }

    @Test
    void aDownloadIsTheMetadataPartThenTheContentWithItsHeaders(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String id = MediaHttp.upload(hs, alice, "hi there".getBytes(StandardCharsets.UTF_8), "text/plain", "hi.txt");

        MediaHttp.Response r =
                signedGet(hs, "/_matrix/federation/v1/media/download/" + id).expect(200);
        String b = boundary(r);
        assertThat(latin1(r.body()))
                .isEqualTo("--" + b + "\r\nContent-Type: application/json\r\n\r\n{}\r\n"
                        + "--" + b
                        + "\r\nContent-Type: text/plain\r\nContent-Disposition: inline; filename=\"hi.txt\"\r\n\r\n"
                        + "hi there\r\n--" + b + "--\r\n");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        // a second answer gets a boundary of its own
        assertThat(boundary(signedGet(hs, "/_matrix/federation/v1/media/download/" + id)))
                .isNotEqualTo(b);
    }

    @Test
    void aThumbnailIsMadeAsForClients(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String id = MediaHttp.upload(hs, alice, MediaThumbnailApiTest.image(200, 100, "png"), "image/png", null);

        MediaHttp.Response r = signedGet(
                        hs, "/_matrix/federation/v1/media/thumbnail/" + id + "?width=32&height=32&method=crop")
                .expect(200);
        String b = boundary(r);
        byte[] head = ("--" + b + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + b
                        + "\r\nContent-Type: image/png\r\nContent-Disposition: inline; filename=\"thumbnail.png\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Arrays.copyOf(r.body(), head.length)).isEqualTo(head);
        assertThat(Arrays.copyOfRange(r.body(), r.body().length - tail.length, r.body().length))
                .isEqualTo(tail);
        var image =
                MediaThumbnailApiTest.decode(Arrays.copyOfRange(r.body(), head.length, r.body().length - tail.length));
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);

        MediaHttp.Response missing = signedGet(hs, "/_matrix/federation/v1/media/thumbnail/" + id + "?height=32")
                .expect(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");
        MediaHttp.Response notImage = signedGet(
                        hs,
                        "/_matrix/federation/v1/media/thumbnail/"
                                + MediaHttp.upload(hs, alice, new byte[] {1, 2, 3}, "image/png", null)
                                + "?width=32&height=32")
                .expect(400);
        assertThat(notImage.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void unknownQuarantinedAndInvalidMediaAreRefused(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        assertThat(signedGet(hs, "/_matrix/federation/v1/media/download/nope")
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(signedGet(hs, "/_matrix/federation/v1/media/download/a.b")
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        String id = MediaHttp.upload(hs, alice, new byte[] {1}, "application/octet-stream", null);
        hs.homeserver().testSeam().media().quarantine(id, UserId.parse(alice.userId()));
        assertThat(signedGet(hs, "/_matrix/federation/v1/media/download/" + id)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(signedGet(hs, "/_matrix/federation/v1/media/thumbnail/" + id + "?width=32&height=32")
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
    }

    @Test
    void mediaNotUploadedYetIsWaitedForUpToTimeoutMs(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String uri = MediaHttp.send(
                        hs, "POST", "/_matrix/media/v1/create", MediaHttp.token(alice), Map.of(), null, false)
                .expect(200)
                .json()
                .path("content_uri")
                .asText();
        String id = uri.substring(uri.lastIndexOf('/') + 1);
        MediaHttp.Response pending = signedGet(hs, "/_matrix/federation/v1/media/download/" + id + "?timeout_ms=0")
                .expect(504);
        assertThat(pending.errcode()).isEqualTo("M_NOT_YET_UPLOADED");
    }

    @Test
    void requestsMustBeSigned(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = MediaHttp.upload(hs, alice, new byte[] {1}, "application/octet-stream", null);
        MediaHttp.Response r = MediaHttp.get(hs, "/_matrix/federation/v1/media/download/" + id, MediaHttp.token(alice));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_UNAUTHORIZED");
    }
}
