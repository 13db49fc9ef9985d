package dev.myelin.server.api.media;

import static dev.myelin.server.api.media.MediaHttp.download;
import static dev.myelin.server.api.media.MediaHttp.get;
import static dev.myelin.server.api.media.MediaHttp.send;
import static dev.myelin.server.api.media.MediaHttp.token;
import static dev.myelin.server.api.media.MediaHttp.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class MediaUploadApiTest {
    private static final String CSP = "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; "
            + "style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    @Test
    void uploadedBytesDownloadIdenticallyWithSafeHeaders(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        byte[] body = randomBytes(300_000);
        String id = upload(hs, alice, body, "image/png", "cat.png");
        assertThat(id).matches("[A-Za-z0-9]{24}");

        MediaHttp.Response response = get(hs, download(hs, id), token(alice)).expect(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.header("Content-Type")).isEqualTo("image/png");
        assertThat(response.header("Content-Length")).isEqualTo("300000");
        assertThat(response.header("Content-Disposition")).isEqualTo("inline; filename=\"cat.png\"");
        assertThat(response.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Cross-Origin-Resource-Policy")).isEqualTo("cross-origin");

        MediaHttp.Response renamed =
                get(hs, download(hs, id) + "/other.png", token(alice)).expect(200);
        assertThat(renamed.body()).isEqualTo(body);
        assertThat(renamed.header("Content-Disposition")).isEqualTo("inline; filename=\"other.png\"");

        MediaHttp.Response head = send(hs, "HEAD", download(hs, id), token(alice), Map.of(), null, false)
                .expect(200);
        assertThat(head.header("Content-Length")).isEqualTo("300000");
    }

    @Test
    void typesThatABrowserWouldRunAreAttachments(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        for (String type : new String[] {
            "text/html",
            "image/svg+xml",
            "application/javascript",
            "text/xml",
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "application/pdf"
        }) {
            String id = upload(hs, alice, "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), type, "x.html");
            MediaHttp.Response response =
                    get(hs, download(hs, id), token(alice)).expect(200);
            assertThat(response.header("Content-Disposition")).as(type).isEqualTo("attachment; filename=\"x.html\"");
            assertThat(response.header("Content-Security-Policy")).isEqualTo(CSP);
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        String text = upload(hs, alice, "hi".getBytes(StandardCharsets.UTF_8), "text/plain", null);
        assertThat(get(hs, download(hs, text), token(alice)).header("Content-Disposition"))
                .isEqualTo("inline");
    }

    @Test
    void fileNamesOutsidePrintableAsciiAreEncodedPerRfc6266(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, new byte[] {1, 2, 3}, "text/plain", "résumé \"1\" 📄.txt");
        assertThat(get(hs, download(hs, id), token(alice)).header("Content-Disposition"))
                .isEqualTo("inline; filename*=utf-8''r%C3%A9sum%C3%A9%20%221%22%20%F0%9F%93%84.txt");
        assertThat(get(hs, download(hs, id) + "/%E2%82%AC.txt", token(alice)).header("Content-Disposition"))
                .isEqualTo("inline; filename*=utf-8''%E2%82%AC.txt");
    }

    @Test
    void withoutContentTypeMediaIsOctetStreamAndEmptyUploadsAreAllowed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, new byte[] {7, 8, 9}, null, null);
        MediaHttp.Response response = get(hs, download(hs, id), token(alice)).expect(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(response.header("Content-Disposition")).isEqualTo("attachment");
        assertThat(response.body()).containsExactly(7, 8, 9);

        String empty = upload(hs, alice, new byte[0], "text/plain", "empty.txt");
        MediaHttp.Response emptyResponse =
                get(hs, download(hs, empty), token(alice)).expect(200);
        assertThat(emptyResponse.body()).isEmpty();
        assertThat(emptyResponse.header("Content-Length")).isEqualTo("0");
    }

    @Test
    void formEncodedUploadsAreStoredAsTheyAreNotParsed(TestHomeserver hs) {
        // curl --data-binary sends this type by default; the body must stream to disk, not be read as a form
        TestClient alice = hs.registerUser("alice");
        byte[] body = "filename=evil&a=b".getBytes(StandardCharsets.UTF_8);
        String id = upload(hs, alice, body, "application/x-www-form-urlencoded", "form.txt");
        MediaHttp.Response response = get(hs, download(hs, id), token(alice)).expect(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"form.txt\"");
    }

    @Test
    @OverrideConfig(key = "max_upload_size", value = "10K")
    void bodiesOverTheLimitAreRefusedWhileStreaming(TestHomeserver hs) throws IOException {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get("/_matrix/client/v1/media/config")
                        .expect(200)
                        .json()
                        .get("m.upload.size")
                        .asLong())
                .isEqualTo(10_240);
        MediaHttp.Response chunked = send(
                hs,
                "POST",
                "/_matrix/media/v3/upload",
                token(alice),
                Map.of("Content-Type", "application/octet-stream"),
                randomBytes(100_000),
                true);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.errcode()).isEqualTo("M_TOO_LARGE");
        MediaHttp.Response declared =
                send(hs, "POST", "/_matrix/media/v3/upload", token(alice), Map.of(), randomBytes(10_241), false);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.errcode()).isEqualTo("M_TOO_LARGE");

        // nothing half-written is left behind, and exactly the limit is fine
        Path tmp = hs.homeserver().config().mediaStorePath().resolve("tmp");
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
        assertThat(hs.homeserver().testSeam().media().uploadsBy(UserId.parse(alice.userId())))
                .isEmpty();
        String id = MediaHttp.upload(hs, alice, randomBytes(10_240), "application/octet-stream", null);
        assertThat(get(hs, download(hs, id), token(alice)).expect(200).body()).hasSize(10_240);
        MediaHttp.Response chunkedOk = send(
                        hs, "POST", "/_matrix/media/v3/upload", token(alice), Map.of(), randomBytes(10_240), true)
                .expect(200);
        assertThat(chunkedOk.json().get("content_uri").asText()).startsWith("mxc://test.local/");
    }

    @Test
    void filesAreAddressedByIdInsideTheMediaStore(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, new byte[] {1}, "text/plain", "../../etc/passwd");
        Path expected = hs.homeserver()
                .config()
                .mediaStorePath()
                .toAbsolutePath()
                .normalize()
                .resolve("local_content")
                .resolve(id.substring(0, 2))
                .resolve(id.substring(2, 4))
                .resolve(id.substring(4));
        assertThat(expected).exists();
        assertThat(new MediaFiles(hs.homeserver().config().mediaStorePath()).content(new MediaId(id)))
                .isEqualTo(expected);
    }

    @Test
    void asyncUploadsGoToTheCreatorOnceBeforeTheyExpire(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        JsonNode created =
                alice.post("/_matrix/media/v1/create", null).expect(200).json();
        String uri = created.get("content_uri").asText();
        assertThat(created.get("unused_expires_at").asLong())
                .isEqualTo(hs.clock().nowMillis() + 86_400_000L);
        String id = uri.substring("mxc://test.local/".length());
        String put = "/_matrix/media/v3/upload/test.local/" + id + "?filename=later.txt";

        MediaHttp.Response early = get(hs, download(hs, id) + "?timeout_ms=0", token(alice));
        assertThat(early.status()).isEqualTo(504);
        assertThat(early.errcode()).isEqualTo("M_NOT_YET_UPLOADED");

        MediaHttp.Response wrongUser = send(
                hs,
                "PUT",
                put,
                token(bob),
                Map.of("Content-Type", "text/plain"),
                "bob's".getBytes(StandardCharsets.UTF_8),
                false);
        assertThat(wrongUser.status()).isEqualTo(403);
        assertThat(wrongUser.errcode()).isEqualTo("M_FORBIDDEN");

        send(
                        hs,
                        "PUT",
                        put,
                        token(alice),
                        Map.of("Content-Type", "text/plain"),
                        "alice's".getBytes(StandardCharsets.UTF_8),
                        false)
                .expect(200);
        MediaHttp.Response content = get(hs, download(hs, id), token(bob)).expect(200);
        assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo("alice's");
        assertThat(content.header("Content-Disposition")).isEqualTo("inline; filename=\"later.txt\"");

        MediaHttp.Response again = send(hs, "PUT", put, token(alice), Map.of(), new byte[] {1}, false);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errcode()).isEqualTo("M_CANNOT_OVERWRITE_MEDIA");
        assertThat(get(hs, download(hs, id), token(bob)).body()).isEqualTo("alice's".getBytes(StandardCharsets.UTF_8));

        // direct uploads cannot be overwritten either, and unknown ids are not found
        String direct = upload(hs, alice, new byte[] {1}, null, null);
        assertThat(send(
                                hs,
                                "PUT",
                                "/_matrix/media/v3/upload/test.local/" + direct,
                                token(alice),
                                Map.of(),
                                new byte[] {2},
                                false)
                        .status())
                .isEqualTo(409);
        MediaHttp.Response unknown = send(
                hs,
                "PUT",
                "/_matrix/media/v3/upload/test.local/NOSUCHID",
                token(alice),
                Map.of(),
                new byte[] {2},
                false);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(send(
                                hs,
                                "PUT",
                                "/_matrix/media/v3/upload/other.example/" + id,
                                token(alice),
                                Map.of(),
                                new byte[] {2},
                                false)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void unusedIdsExpire(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String uri = alice.post("/_matrix/media/v1/create", null)
                .expect(200)
                .json()
                .get("content_uri")
                .asText();
        String id = uri.substring("mxc://test.local/".length());
        hs.clock().advance(Duration.ofHours(24));
        MediaHttp.Response late = send(
                hs, "PUT", "/_matrix/media/v3/upload/test.local/" + id, token(alice), Map.of(), new byte[] {1}, false);
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(get(hs, download(hs, id) + "?timeout_ms=0", token(alice)).status())
                .isEqualTo(404);
    }

    @Test
    void pendingIdsPerUserAreLimited(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        for (int i = 0; i < 50; i++) {
            alice.post("/_matrix/media/v1/create", null).expect(200);
        }
        assertThat(alice.post("/_matrix/media/v1/create", null).expect(429).errcode())
                .isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(hs.registerUser("bob").post("/_matrix/media/v1/create", null).status())
                .isEqualTo(200);
        hs.clock().advance(Duration.ofHours(25));
        alice.post("/_matrix/media/v1/create", null).expect(200);
    }

    @Test
    void unknownAndMalformedMediaIdsAreRefusedWithoutTouchingFiles(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        MediaHttp.Response unknown = get(hs, download(hs, "NoSuchMedia"), token(alice));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
        String id = upload(hs, alice, new byte[] {1}, null, null);
        // another server's media is fetched from it: other.example cannot be reached
        MediaHttp.Response remote = get(hs, "/_matrix/client/v1/media/download/other.example/" + id, token(alice));
        assertThat(remote.status()).isEqualTo(502);
        assertThat(remote.errcode()).isEqualTo("M_UNKNOWN");

        for (String bad : new String[] {"..%2F..%2Fetc%2Fpasswd", "a.b", "%2E%2E", "a%00b", "%C3%A9t%C3%A9", "a%5Cb"}) {
            MediaHttp.Response response = get(hs, download(hs, bad), token(alice));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.errcode()).as(bad).isIn("M_INVALID_PARAM", "M_UNKNOWN");
            MediaHttp.Response thumb = get(hs, MediaHttp.thumbnail(hs, bad, "width=32&height=32"), token(alice));
            assertThat(thumb.status()).as(bad).isEqualTo(400);
        }
        assertThat(get(hs, download(hs, "a.b"), token(alice)).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(get(hs, "/_matrix/client/v1/media/download/bad%20server/" + id, token(alice))
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(send(
                                hs,
                                "PUT",
                                "/_matrix/media/v3/upload/test.local/a.b",
                                token(alice),
                                Map.of(),
                                new byte[] {1},
                                false)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        for (String server : new String[] {"test..local", ".test.local", "test.local:0", "test.local:70000"}) {
            assertThat(get(hs, "/_matrix/client/v1/media/download/" + server + "/" + id, token(alice))
                            .errcode())
                    .as(server)
                    .isEqualTo("M_INVALID_PARAM");
            assertThat(send(
                                    hs,
                                    "PUT",
                                    "/_matrix/media/v3/upload/" + server + "/" + id,
                                    token(alice),
                                    Map.of(),
                                    new byte[] {1},
                                    false)
                            .errcode())
                    .as(server)
                    .isEqualTo("M_INVALID_PARAM");
        }
    }

    @Test
    void authenticatedEndpointsNeedAToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, new byte[] {1}, null, null);
        assertThat(get(hs, download(hs, id), Optional.empty()).errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(hs.anonymous().get("/_matrix/client/v1/media/config").errcode())
                .isEqualTo("M_MISSING_TOKEN");
        assertThat(send(hs, "POST", "/_matrix/media/v3/upload", Optional.empty(), Map.of(), new byte[] {1}, false)
                        .errcode())
                .isEqualTo("M_MISSING_TOKEN");
        assertThat(alice.get("/_matrix/media/v3/config")
                        .expect(200)
                        .json()
                        .get("m.upload.size")
                        .asLong())
                .isEqualTo(50L * 1024 * 1024);
    }

    @Test
    void badUploadParametersAreRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        MediaHttp.Response control = send(
                hs, "POST", "/_matrix/media/v3/upload?filename=a%0Ab", token(alice), Map.of(), new byte[] {1}, false);
        assertThat(control.status()).isEqualTo(400);
        assertThat(control.errcode()).isEqualTo("M_INVALID_PARAM");
        MediaHttp.Response type = send(
                hs,
                "POST",
                "/_matrix/media/v3/upload",
                token(alice),
                Map.of("Content-Type", "nonsense"),
                new byte[] {1},
                false);
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void legacyEndpointsServeOnlyMediaFromBeforeTheFreeze(TestHomeserver hs) throws IOException {
        TestClient alice = hs.registerUser("alice");
        String frozen = upload(hs, alice, new byte[] {1, 2}, "image/png", null);
        String legacy = "/_matrix/media/v3/download/test.local/";
        MediaHttp.Response refused = get(hs, legacy + frozen, Optional.empty());
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(get(hs, legacy + frozen + "/name.png", token(alice)).status())
                .isEqualTo(404);
        assertThat(get(hs, "/_matrix/media/v3/thumbnail/test.local/" + frozen + "?width=32&height=32", Optional.empty())
                        .errcode())
                .isEqualTo("M_NOT_FOUND");

        // media recorded before authenticated media was switched on stays reachable there
        String old = "OldMediaFromBeforeTheSwitch";
        Path file = new MediaFiles(hs.homeserver().config().mediaStorePath()).content(new MediaId(old));
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {4, 5, 6});
        hs.homeserver().testSeam().media().record(old, "text/plain", 3, Optional.empty(), UserId.parse(alice.userId()));
        assertThat(get(hs, legacy + old, Optional.empty()).expect(200).body()).containsExactly(4, 5, 6);
        assertThat(get(hs, download(hs, old), token(alice)).expect(200).body()).containsExactly(4, 5, 6);
    }

    @Test
    @OverrideConfig(key = "enable_authenticated_media", value = "false")
    void withoutAuthenticatedMediaLegacyEndpointsServeEverything(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, new byte[] {1, 2}, "image/png", null);
        assertThat(get(hs, "/_matrix/media/v3/download/test.local/" + id, Optional.empty())
                        .expect(200)
                        .body())
                .containsExactly(1, 2);
        assertThat(get(hs, download(hs, id), token(alice)).expect(200).body()).containsExactly(1, 2);
    }

    @Test
    void previewsAreOffByDefault(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get("/_matrix/client/v1/media/preview_url?url=http%3A%2F%2Fexample.org%2F")
                        .status())
                .isEqualTo(404);
        assertThat(alice.get("/_matrix/media/v3/preview_url?url=http%3A%2F%2Fexample.org%2F")
                        .errcode())
                .isEqualTo("M_UNRECOGNIZED");
    }
}
