package dev.myelin.server.api.media;

import static dev.myelin.server.api.media.MediaHttp.get;
import static dev.myelin.server.api.media.MediaHttp.token;
import static dev.myelin.server.api.media.MediaHttp.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.UserId;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestHomeserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Media across two in-process servers: alice on a.test uploads, bob on b.test downloads through
 * his own server, which fetches it over federation once and serves its cached copy after that.
 */
class FederatedMediaTest {
    private static final String BOUNDARY = "6e0bf5d3a7c1";
    private TestFederation federation;
    private TestHomeserver a;
    private TestHomeserver b;
    private TestClient alice;
    private TestClient bob;

    private void start(Consumer<TestHomeserver.Builder> customize) {
        federation = TestFederation.start(customize, "a.test", "b.test");
        a = federation.server("a.test");
        b = federation.server("b.test");
        alice = a.registerUser("alice");
        bob = b.registerUser("bob");
    }

    private void start() {
        start(builder -> {});
    }

    @AfterEach
    void stop() {
        if (federation != null) {
            federation.close();
        }
    }

    private MediaHttp.Response bobGets(String path) {
        return get(b, path, token(bob));
    }

    private static String remoteDownload(String mediaId) {
        return "/_matrix/client/v1/media/download/a.test/" + mediaId;
    }

    /** The requests b.test sent a.test for media. */
    private List<String> mediaRequests() {
        List<String> paths = new ArrayList<>();
        for (OutboundRequest r : federation.link("b.test", "a.test").delivered()) {
            String path = r.uri().getRawPath();
            if (path.contains("/media/")) {
                paths.add(path
                        + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery()));
            }
        }
        return paths;
    }

    private static OutboundResponse multipart(String contentType, byte[] body) {
        return new OutboundResponse(200, Map.of("content-type", List.of(contentType)), body);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void answerMediaWith(OutboundResponse answer) {
        federation
                .link("b.test", "a.test")
                .answerWith(request -> request.uri().getPath().startsWith("/_matrix/federation/v1/media/")
                        ? Optional.of(answer)
                        : Optional.empty());
    }

    @Test
    void aRemoteUploadIsFetchedOnceAndServedFromTheCacheAfterwards() {
        start();
        byte[] content = ascii("hello from a.test");
        String id = upload(a, alice, content, "text/plain", "greeting.txt");

        MediaHttp.Response first = bobGets(remoteDownload(id)).expect(200);
        assertThat(first.body()).isEqualTo(content);
        assertThat(first.header("Content-Type")).isEqualTo("text/plain");
        assertThat(first.header("Content-Disposition")).isEqualTo("inline; filename=\"greeting.txt\"");
        assertThat(mediaRequests())
                .containsExactly("/_matrix/federation/v1/media/download/" + id + "?timeout_ms=20000");
        // the request was signed: a.test's federation endpoint refuses unsigned ones
        assertThat(federation
                        .link("b.test", "a.test")
                        .delivered()
                        .getLast()
                        .headers()
                        .get("Authorization"))
                .anySatisfy(h -> assertThat(h).startsWith("X-Matrix "));

        MediaHttp.Response second =
                bobGets(remoteDownload(id) + "/other%20name.txt").expect(200);
        assertThat(second.body()).isEqualTo(content);
        assertThat(second.header("Content-Disposition")).isEqualTo("inline; filename=\"other name.txt\"");
        assertThat(mediaRequests())
                .as("the second download is served from the cache")
                .hasSize(1);
    }

    @Test
    void aCachedCopyWhoseFileIsGoneIsFetchedAgain() throws Exception {
        start();
        String id = upload(a, alice, ascii("again"), "text/plain", null);
        bobGets(remoteDownload(id)).expect(200);
        Path store = Path.of(b.homeserver().config().mediaStorePath().toString(), "remote_content");
        try (var files = Files.walk(store)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        assertThat(bobGets(remoteDownload(id)).expect(200).body()).isEqualTo(ascii("again"));
        assertThat(bobGets(remoteDownload(id)).expect(200).body()).isEqualTo(ascii("again"));
        assertThat(mediaRequests()).hasSize(2);
    }

    @Test
    void theFederationEndpointAnswersMultipartAndOnlyToSignedRequests() {
        start();
        String id = upload(a, alice, ascii("<b>x</b>"), "text/html", "page.html");

        MediaHttp.Response unsigned = get(a, "/_matrix/federation/v1/media/download/" + id, Optional.empty());
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.errcode()).isEqualTo("M_UNAUTHORIZED");

        // b.test fetched it over that endpoint: dangerous types stay attachments on the way through
        MediaHttp.Response fetched = bobGets(remoteDownload(id)).expect(200);
        assertThat(fetched.body()).isEqualTo(ascii("<b>x</b>"));
        assertThat(fetched.header("Content-Type")).isEqualTo("text/html");
        assertThat(fetched.header("Content-Disposition")).isEqualTo("attachment; filename=\"page.html\"");
    }

    @Test
    void aThumbnailOfRemoteMediaIsMadeFromTheCachedCopy() {
        start();
        String id = upload(a, alice, MediaThumbnailApiTest.image(200, 100, "png"), "image/png", "pic.png");

        MediaHttp.Response crop = bobGets(
                        "/_matrix/client/v1/media/thumbnail/a.test/" + id + "?width=32&height=32&method=crop")
                .expect(200);
        assertThat(crop.header("Content-Type")).isEqualTo("image/png");
        var image = MediaThumbnailApiTest.decode(crop.body());
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);

        MediaHttp.Response scale = bobGets(
                        "/_matrix/client/v1/media/thumbnail/a.test/" + id + "?width=100&height=100&method=scale")
                .expect(200);
        assertThat(MediaThumbnailApiTest.decode(scale.body()).getWidth()).isLessThanOrEqualTo(320);
        bobGets("/_matrix/client/v1/media/thumbnail/a.test/" + id + "?width=32&height=32&method=crop")
                .expect(200);
        assertThat(mediaRequests())
                .as("one fetch of the original serves every thumbnail")
                .hasSize(1);
    }

    @Test
    void aRemoteImageTooLargeToThumbnailIsABadGateway() {
        start(builder -> builder.config("max_image_pixels", "1000"));
        String id = upload(a, alice, MediaThumbnailApiTest.image(100, 100, "png"), "image/png", null);
        MediaHttp.Response r = bobGets("/_matrix/client/v1/media/thumbnail/a.test/" + id + "?width=32&height=32")
                .expect(502);
        assertThat(r.errcode()).isEqualTo("M_TOO_LARGE");
        // the original itself is still served
        bobGets(remoteDownload(id)).expect(200);
    }

    @Test
    void unknownRemoteMediaIsNotFound() {
        start();
        MediaHttp.Response missing = bobGets(remoteDownload("doesNotExist")).expect(404);
        assertThat(missing.errcode()).isEqualTo("M_NOT_FOUND");
        MediaHttp.Response thumb = bobGets("/_matrix/client/v1/media/thumbnail/a.test/doesNotExist?width=32&height=32")
                .expect(404);
        assertThat(thumb.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void quarantinedMediaIsNotServedToOtherServers() {
        start();
        String id = upload(a, alice, ascii("bad"), "text/plain", null);
        a.homeserver().testSeam().media().quarantine(id, UserId.parse(alice.userId()));
        assertThat(bobGets(remoteDownload(id)).expect(404).errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void anUnreachableServerIsABadGatewayAndTheNextRequestTriesAgain() {
        start();
        String id = upload(a, alice, ascii("later"), "text/plain", null);
        federation.link("b.test", "a.test").fail();

        MediaHttp.Response failed = bobGets(remoteDownload(id)).expect(502);
        assertThat(failed.errcode()).isEqualTo("M_UNKNOWN");

        federation.link("b.test", "a.test").heal();
        assertThat(bobGets(remoteDownload(id)).expect(200).body()).isEqualTo(ascii("later"));
    }

    @Test
    void remoteMediaOverMaxUploadSizeIsRefusedAndNotCached() {
        start(builder -> builder.config("max_upload_size", "1K"));
        byte[] big = new byte[4096];
        Arrays.fill(big, (byte) 'x');
        byte[] head = ascii("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + BOUNDARY
                + "\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] tail = ascii("\r\n--" + BOUNDARY + "--\r\n");
        byte[] body = new byte[head.length + big.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(big, 0, body, head.length, big.length);
        System.arraycopy(tail, 0, body, head.length + big.length, tail.length);
        answerMediaWith(multipart("multipart/mixed; boundary=" + BOUNDARY, body));

        MediaHttp.Response refused = bobGets(remoteDownload("huge")).expect(502);
        assertThat(refused.errcode()).isEqualTo("M_TOO_LARGE");
        bobGets(remoteDownload("huge")).expect(502);
        assertThat(mediaRequests()).as("nothing was cached").hasSize(2);
    }

    @Test
    void garbageInsteadOfMultipartIsABadGatewayNeverAServerError() {
        start();
        List<OutboundResponse> answers = List.of(
                multipart("application/json", ascii("{}")),
                multipart("multipart/mixed", ascii("--x\r\n\r\n")),
                multipart("multipart/mixed; boundary=" + BOUNDARY, ascii("no delimiter at all")),
                multipart(
                        "multipart/mixed; boundary=" + BOUNDARY,
                        ascii("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + BOUNDARY
                                + "--\r\n")),
                multipart(
                        "multipart/mixed; boundary=" + BOUNDARY,
                        ascii("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + BOUNDARY
                                + "\r\nContent-Type: text/plain\r\n\r\nunterminated")),
                multipart("multipart/mixed; boundary=\"\"", new byte[0]),
                new OutboundResponse(200, Map.of(), ascii("no content type")));
        int n = 0;
        for (OutboundResponse answer : answers) {
            answerMediaWith(answer);
            MediaHttp.Response r = bobGets(remoteDownload("garbage" + n++));
            assertThat(r.status())
                    .as(new String(answer.body(), StandardCharsets.ISO_8859_1))
                    .isEqualTo(502);
            assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
        }
    }

    @Test
    void aServerWithoutTheFederationEndpointIsAskedOnTheLegacyOneWithoutRemoteFetching() {
        // the legacy endpoint serves only media from before the freeze
        start(builder -> builder.config("enable_authenticated_media", "false"));
        String id = upload(a, alice, ascii("old server"), "text/plain", "old.txt");
        answerMediaWith(new OutboundResponse(
                404,
                Map.of("content-type", List.of("application/json")),
                ascii("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}")));

        MediaHttp.Response fetched = bobGets(remoteDownload(id)).expect(200);
        assertThat(fetched.body()).isEqualTo(ascii("old server"));
        assertThat(fetched.header("Content-Disposition")).isEqualTo("inline; filename=\"old.txt\"");
        assertThat(mediaRequests())
                .containsExactly(
                        "/_matrix/federation/v1/media/download/" + id + "?timeout_ms=20000",
                        "/_matrix/media/v3/download/a.test/" + id + "?allow_remote=false&timeout_ms=20000");
    }

    @Test
    void aPlain404IsNotFoundWithoutTryingTheLegacyEndpoint() {
        start();
        answerMediaWith(new OutboundResponse(
                404,
                Map.of("content-type", List.of("application/json")),
                ascii("{\"errcode\":\"M_NOT_FOUND\",\"error\":\"nope\"}")));
        assertThat(bobGets(remoteDownload("gone")).expect(404).errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(mediaRequests()).hasSize(1);
    }

    @Test
    void aLocationPartIsFollowed() {
        start(builder -> builder.config("enable_authenticated_media", "false"));
        String id = upload(a, alice, ascii("elsewhere"), "text/plain", "where.txt");
        answerMediaWith(multipart(
                "multipart/mixed; boundary=" + BOUNDARY,
                ascii("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + BOUNDARY
                        + "\r\nLocation: https://a.test/_matrix/media/v3/download/a.test/" + id + "\r\n\r\n\r\n--"
                        + BOUNDARY + "--\r\n")));

        MediaHttp.Response fetched = bobGets(remoteDownload(id)).expect(200);
        assertThat(fetched.body()).isEqualTo(ascii("elsewhere"));
        assertThat(fetched.header("Content-Disposition")).isEqualTo("inline; filename=\"where.txt\"");
    }

    @Test
    void theLegacyEndpointsFetchNothingWithAllowRemoteFalseOrUnderTheFreeze() {
        start();
        String id = upload(a, alice, ascii("x"), "text/plain", null);
        MediaHttp.Response noRemote =
                get(b, "/_matrix/media/v3/download/a.test/" + id + "?allow_remote=false", Optional.empty());
        assertThat(noRemote.status()).isEqualTo(404);
        // enable_authenticated_media is on: what b.test would cache now is not for these endpoints
        assertThat(get(b, "/_matrix/media/v3/download/a.test/" + id, Optional.empty())
                        .status())
                .isEqualTo(404);
        assertThat(mediaRequests()).isEmpty();
        assertThat(get(b, "/_matrix/media/v3/download/a.test/" + id + "?allow_remote=maybe", Optional.empty())
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void withoutTheFreezeTheLegacyEndpointFetchesRemoteMediaToo() {
        start(builder -> builder.config("enable_authenticated_media", "false"));
        String id = upload(a, alice, ascii("public"), "text/plain", null);
        assertThat(get(b, "/_matrix/media/v3/download/a.test/" + id, Optional.empty())
                        .expect(200)
                        .body())
                .isEqualTo(ascii("public"));
        // and a copy cached without the freeze is served there afterwards
        assertThat(get(b, "/_matrix/media/v3/download/a.test/" + id, Optional.empty())
                        .status())
                .isEqualTo(200);
        assertThat(mediaRequests()).hasSize(1);
    }

    @Test
    void concurrentRequestsForOneItemShareOneFetch() throws Exception {
        start();
        String id = upload(a, alice, ascii("shared"), "text/plain", null);
        federation.link("b.test", "a.test").delay(Duration.ofSeconds(2));

        CompletableFuture<MediaHttp.Response> one =
                CompletableFuture.supplyAsync(() -> bobGets(remoteDownload(id)), Thread::startVirtualThread);
        CompletableFuture<MediaHttp.Response> two =
                CompletableFuture.supplyAsync(() -> bobGets(remoteDownload(id)), Thread::startVirtualThread);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (federation.link("b.test", "a.test").attempted() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // time for the second request to find the first one's fetch in flight
        Thread.sleep(300);
        federation.clock().advance(Duration.ofSeconds(2));

        assertThat(one.get().expect(200).body()).isEqualTo(ascii("shared"));
        assertThat(two.get().expect(200).body()).isEqualTo(ascii("shared"));
        assertThat(mediaRequests()).hasSize(1);
    }

    @Test
    void remoteDownloadsAreRateLimitedPerRequester() {
        start(builder -> builder.config("remote_media_download_burst_count", "1K")
                .config("remote_media_download_per_second", "10"));
        byte[] chunk = new byte[600];
        String first = upload(a, alice, chunk, "application/octet-stream", null);
        String second = upload(a, alice, chunk, "application/octet-stream", null);

        bobGets(remoteDownload(first)).expect(200);
        MediaHttp.Response limited = bobGets(remoteDownload(second)).expect(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        // cached media costs nothing
        bobGets(remoteDownload(first)).expect(200);

        federation.clock().advance(Duration.ofSeconds(60));
        bobGets(remoteDownload(second)).expect(200);
    }
}
