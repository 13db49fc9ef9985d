package dev.myelin.server.api.media;

import static dev.myelin.server.api.media.MediaHttp.get;
import static dev.myelin.server.api.media.MediaHttp.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** URL previews of pages served by a Jetty on 127.0.0.1, which only tests that allow loopback may fetch. */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "url_preview_enabled", value = "true")
class UrlPreviewApiTest {
    private static final String PREVIEW = "/_matrix/client/v1/media/preview_url?url=";
    private static final byte[] PNG = MediaThumbnailApiTest.image(48, 32, "png");

    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private Server site;
    private int port;

    @BeforeEach
    void startSite() throws Exception {
        site = new Server();
        ServerConnector connector = new ServerConnector(site);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        site.addConnector(connector);
        site.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                switch (path) {
                    case "/page" ->
                        send(response, callback, "text/html; charset=utf-8", """
                            <html><head><title>Not this</title>
                            <meta property="og:title" content="Café &amp; friends">
                            <meta property="og:description" content="A page with a picture">
                            <meta property="og:image" content="/pic.png">
                            </head><body>hello</body></html>""".getBytes(StandardCharsets.UTF_8));
                    case "/plain" -> send(response, callback, "text/html", """
                            <html><head><meta charset="utf-8"><title> Just a title </title>
                            <meta name="description" content="From the description tag"></head></html>""".getBytes(StandardCharsets.UTF_8));
                    case "/pic.png" -> send(response, callback, "image/png", PNG);
                    case "/huge" -> send(response, callback, "text/html", new byte[3 * 1024 * 1024]);
                    case "/to-private" -> {
                        response.setStatus(302);
                        response.getHeaders().put(HttpHeader.LOCATION, "http://10.255.255.1/");
                        response.write(true, ByteBuffer.allocate(0), callback);
                    }
                    default -> {
                        response.setStatus(404);
                        response.write(true, ByteBuffer.allocate(0), callback);
                    }
                }
                return true;
            }
        });
        site.start();
        port = connector.getLocalPort();
    }

    private static void send(Response response, Callback callback, String type, byte[] body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @AfterEach
    void stopSite() throws Exception {
        site.stop();
    }

    private String url(String host, String path) {
        return URLEncoder.encode("http://" + host + ":" + port + path, StandardCharsets.UTF_8);
    }

    @Test
    @OverrideConfig(key = "url_preview_ip_range_whitelist", value = "['127.0.0.1']")
    void previewsOpenGraphTagsAndStoresTheImage(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        JsonNode preview =
                alice.get(PREVIEW + url("127.0.0.1", "/page")).expect(200).json();
        assertThat(preview.get("og:title").asText()).isEqualTo("Café & friends");
        assertThat(preview.get("og:description").asText()).isEqualTo("A page with a picture");
        assertThat(preview.get("og:image:type").asText()).isEqualTo("image/png");
        assertThat(preview.get("og:image:width").asInt()).isEqualTo(48);
        assertThat(preview.get("og:image:height").asInt()).isEqualTo(32);
        assertThat(preview.get("matrix:image:size").asLong()).isEqualTo(PNG.length);
        String mxc = preview.get("og:image").asText();
        assertThat(mxc).startsWith("mxc://test.local/");
        String id = mxc.substring("mxc://test.local/".length());
        assertThat(get(hs, MediaHttp.download(hs, id), token(alice)).expect(200).body())
                .isEqualTo(PNG);

        JsonNode plain = alice.get("/_matrix/media/v3/preview_url?url=" + url("127.0.0.1", "/plain"))
                .expect(200)
                .json();
        assertThat(plain.get("og:title").asText()).isEqualTo("Just a title");
        assertThat(plain.get("og:description").asText()).isEqualTo("From the description tag");
        assertThat(plain.has("og:image")).isFalse();

        JsonNode image =
                alice.get(PREVIEW + url("127.0.0.1", "/pic.png")).expect(200).json();
        assertThat(image.get("og:image").asText()).startsWith("mxc://test.local/");
        assertThat(image.get("og:image:width").asInt()).isEqualTo(48);
    }

    @Test
    @OverrideConfig(key = "url_preview_ip_range_whitelist", value = "['127.0.0.1']")
    void previewsAreCachedForAnHour(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.get(PREVIEW + url("127.0.0.1", "/plain")).expect(200);
        alice.get(PREVIEW + url("127.0.0.1", "/plain")).expect(200);
        alice.get(PREVIEW + url("127.0.0.1", "/plain#fragment")).expect(200);
        assertThat(hits.get("/plain").get()).isEqualTo(1);
        hs.clock().advance(Duration.ofMinutes(61));
        alice.get(PREVIEW + url("127.0.0.1", "/plain")).expect(200);
        assertThat(hits.get("/plain").get()).isEqualTo(2);
        // another point in time is another preview
        alice.get(PREVIEW + url("127.0.0.1", "/plain") + "&ts=1000").expect(200);
        assertThat(hits.get("/plain").get()).isEqualTo(3);
    }

    @Test
    void loopbackIsBlockedUnlessAllowed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        for (String host : new String[] {"127.0.0.1", "localhost", "[::1]"}) {
            var response = alice.get(PREVIEW + url(host, "/page"));
            assertThat(response.status()).as(host).isEqualTo(403);
            assertThat(response.errcode()).as(host).isEqualTo("M_UNKNOWN");
        }
        assertThat(hits).isEmpty();
    }

    @Test
    @OverrideConfig(key = "url_preview_ip_range_whitelist", value = "['127.0.0.1']")
    @OverrideConfig(key = "max_spider_size", value = "1M")
    void redirectsToBlockedAddressesFailedFetchesAndBadUrlsAreErrors(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        var redirected = alice.get(PREVIEW + url("127.0.0.1", "/to-private"));
        assertThat(redirected.status()).isEqualTo(403);
        assertThat(redirected.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(alice.get(PREVIEW + url("127.0.0.1", "/missing")).status()).isEqualTo(502);
        assertThat(alice.get(PREVIEW + url("127.0.0.1", "/huge")).status()).isEqualTo(502);
        assertThat(alice.get("/_matrix/client/v1/media/preview_url").errcode()).isEqualTo("M_MISSING_PARAM");
        for (String bad : new String[] {
            "ftp%3A%2F%2Fexample.org%2F", "not%20a%20url", "%2Frelative", "http%3A%2F%2Fuser%40127.0.0.1%2F"
        }) {
            var response = alice.get(PREVIEW + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.errcode()).as(bad).isEqualTo("M_INVALID_PARAM");
        }
        assertThat(alice.get(PREVIEW + url("127.0.0.1", "/plain") + "&ts=soon").errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.anonymous().get(PREVIEW + url("127.0.0.1", "/plain")).errcode())
                .isEqualTo("M_MISSING_TOKEN");
    }
}
