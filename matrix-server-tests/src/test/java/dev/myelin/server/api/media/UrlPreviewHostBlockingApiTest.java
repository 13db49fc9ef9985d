package dev.myelin.server.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

/**
 * With an operator's own {@code url_preview_ip_range_blacklist} (which replaces the default
 * ranges and here leaves out loopback and {@code 0.0.0.0/8}), previews still cannot reach this
 * machine through {@code 0.0.0.0}, {@code 0}, {@code [::]} or loopback, directly or after a
 * redirect. A page on 127.0.0.1 stands in for a service listening on the machine.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "url_preview_enabled", value = "true")
@OverrideConfig(key = "url_preview_ip_range_blacklist", value = "['10.0.0.0/8', '192.168.0.0/16']")
class UrlPreviewHostBlockingApiTest {
    private static final String PREVIEW = "/_matrix/client/v1/media/preview_url?url=";
    /** Redirect targets, served as {@code /to/<index>}. */
    private static final List<String> REDIRECT_TARGETS =
            List.of("0.0.0.0", "0", "[::]", "127.0.0.2", "[::1]", "[::ffff:0.0.0.0]");

    private static final List<String> HOST_SPELLINGS = List.of(
            "0.0.0.0", "0", "[::]", "127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:0.0.0.0]");

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
                if (path.equals("/page")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
                    response.write(
                            true,
                            ByteBuffer.wrap("<title>internal</title>".getBytes(StandardCharsets.UTF_8)),
                            callback);
                } else {
                    // /to/<i>: a redirect to the page on REDIRECT_TARGETS[i]
                    String host = REDIRECT_TARGETS.get(Integer.parseInt(path.substring("/to/".length())));
                    response.setStatus(302);
                    response.getHeaders().put(HttpHeader.LOCATION, "http://" + host + ":" + port + "/page");
                    response.write(true, ByteBuffer.allocate(0), callback);
                }
                return true;
            }
        });
        site.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stopSite() throws Exception {
        site.stop();
    }

    private String url(String host, String path) {
        return URLEncoder.encode("http://" + host + ":" + port + path, StandardCharsets.UTF_8);
    }

    @Test
    void everySpellingOfThisMachineIsRefusedWithACustomBlacklist(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        for (String host : HOST_SPELLINGS) {
            var response = alice.get(PREVIEW + url(host, "/page"));
            assertThat(response.status()).as(host).isEqualTo(403);
            assertThat(response.errcode()).as(host).isEqualTo("M_UNKNOWN");
        }
        assertThat(hits).isEmpty();
    }

    @Test
    @OverrideConfig(key = "url_preview_ip_range_whitelist", value = "['127.0.0.1']")
    void redirectsToOtherSpellingsOfThisMachineAreRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        // the explicitly allowed address itself works
        assertThat(alice.get(PREVIEW + url("127.0.0.1", "/page"))
                        .expect(200)
                        .json()
                        .get("og:title")
                        .asText())
                .isEqualTo("internal");
        for (int i = 0; i < REDIRECT_TARGETS.size(); i++) {
            String host = REDIRECT_TARGETS.get(i);
            var response = alice.get(PREVIEW + url("127.0.0.1", "/to/" + i));
            assertThat(response.status()).as(host).isEqualTo(403);
            assertThat(response.errcode()).as(host).isEqualTo("M_UNKNOWN");
        }
        assertThat(hits.get("/page")).hasValue(1);
    }
}
