package dev.myelin.http.server;

import static dev.myelin.http.server.LocalHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.time.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    private static final String SECRET = "top secret, outside the root";

    @TempDir
    Path dir;

    private HttpServer server;
    private LocalHttp http;

    @BeforeEach
    void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>Welcome</h1>");
        Files.createDirectories(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "body{}");
        Files.writeString(root.resolve("logo.svg"), "<svg/>");
        Files.write(root.resolve("blob.unknownext"), new byte[] {1, 2, 3});
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<p>sub</p>");
        Files.writeString(root.resolve(".env"), SECRET);
        Path outside = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));

        Router router = new Router()
                .register(StaticFiles.directory("/", root))
                .register(StaticFiles.classpath("/site", getClass().getClassLoader(), "site"))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/_matrix/client/versions",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(json("{\"versions\":[\"v1.19\"]}"))));
        server = HttpServer.builder(router, new ManualClock()).localConnector().build();
        server.start();
        http = new LocalHttp(server);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void rootServesIndexHtmlAsUtf8Html() {
        var reply = http.send("GET", "/");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.body()).isEqualTo("<h1>Welcome</h1>");
    }

    @Test
    void contentTypeFollowsTheExtension() {
        assertThat(http.send("GET", "/css/site.css").header("Content-Type")).isEqualTo("text/css;charset=utf-8");
        assertThat(http.send("GET", "/logo.svg").header("Content-Type")).isEqualTo("image/svg+xml;charset=utf-8");
        assertThat(http.send("GET", "/blob.unknownext").header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void directoryWithoutSlashRedirectsAndWithSlashServesItsIndex() {
        var redirect = http.send("GET", "/sub");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/sub/");

        assertThat(http.send("GET", "/sub/").body()).isEqualTo("<p>sub</p>");
    }

    @Test
    void headSendsLengthWithoutBody() {
        var reply = http.send("HEAD", "/css/site.css");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Length")).isEqualTo("6");
        assertThat(http.raw("HEAD", "/css/site.css")).doesNotContain("body{}");
    }

    @Test
    void missingFileIs404NotFound() {
        var reply = http.send("GET", "/nope.html");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json()).isEqualTo(json("{\"errcode\":\"M_NOT_FOUND\",\"error\":\"File not found\"}"));
    }

    @Test
    void nothingOutsideTheRootOrHiddenIsServed() {
        for (String target : List.of(
                "/../secret/secret.txt",
                "/css/../../secret/secret.txt",
                "/%2e%2e/secret/secret.txt",
                "/css/%2E%2E/%2E%2E/secret/secret.txt",
                "/..%2Fsecret%2Fsecret.txt",
                "/%2Fetc%2Fpasswd",
                "//etc/passwd",
                "/css//site.css",
                "/..%5Csecret%5Csecret.txt",
                "/escape/secret.txt",
                "/link.txt",
                "/.env",
                "/%2Eenv",
                "/css/site.css%00.html")) {
            var reply = http.send("GET", target);

            assertThat(reply.status()).as(target).isIn(400, 404);
            assertThat(reply.body()).as(target).doesNotContain(SECRET).doesNotContain("root:");
            assertThat(reply.json().get("errcode").asText())
                    .as(target)
                    .isIn("M_NOT_FOUND", "M_UNKNOWN", "M_UNRECOGNIZED");
        }
    }

    @Test
    void otherEndpointsWinAndUnknownApiPathsStayUnrecognized() {
        assertThat(http.send("GET", "/_matrix/client/versions").json()).isEqualTo(json("{\"versions\":[\"v1.19\"]}"));

        var unknown = http.send("GET", "/_matrix/client/v3/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");

        var post = http.sendBody("POST", "/_matrix/client/v3/nope", "{}");
        assertThat(post.status()).isEqualTo(404);
        assertThat(post.json().get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void classpathResourcesAreServedUnderTheirPrefix() {
        var app = http.send("GET", "/site/app.json");
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.header("Content-Type")).isEqualTo("application/json;charset=utf-8");
        assertThat(app.json()).isEqualTo(json("{\"served\":\"classpath\"}"));

        assertThat(http.send("GET", "/site/").body()).contains("<title>Myelin</title>");
        assertThat(http.send("GET", "/site").header("Location")).isEqualTo("/site/");
        assertThat(http.send("GET", "/site/docs").header("Location")).isEqualTo("/site/docs/");
        assertThat(http.send("GET", "/site/docs/").body()).isEqualTo("<p>docs</p>\n");
        assertThat(http.send("GET", "/site/../site/app.json").status()).isIn(400, 404);
        assertThat(http.send("GET", "/site/%2e%2e/dev/myelin/http/server/StaticFilesTest.class")
                        .status())
                .isIn(400, 404);
        assertThat(http.send("GET", "/site/missing.js").status()).isEqualTo(404);
    }

    @Test
    void rootMustBeAnExistingDirectory() throws IOException {
        assertThatThrownBy(() -> StaticFiles.directory("/", dir.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class);
        Path file = Files.writeString(dir.resolve("file"), "x", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StaticFiles.directory("/", file)).isInstanceOf(IllegalArgumentException.class);
    }
}
