package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpTester;
import org.jspecify.annotations.Nullable;

/**
 * Uploads and downloads for {@link TestClient}: media bodies are bytes, not JSON, so they travel
 * through the in-memory connector as raw requests rather than as endpoint calls.
 */
final class MediaTransfer {
    private final TestHomeserver server;
    private final Optional<String> accessToken;
    /** Adds the client's {@code user_id} assertion to a path, if it makes one. */
    private final UnaryOperator<String> pathFor;

    MediaTransfer(TestHomeserver server, Optional<String> accessToken, UnaryOperator<String> pathFor) {
        this.server = server;
        this.accessToken = accessToken;
        this.pathFor = pathFor;
    }

    String upload(byte[] bytes, String contentType, @Nullable String fileName) {
        String path = "/_matrix/media/v3/upload" + (fileName == null ? "" : "?filename=" + TestClient.encode(fileName));
        HttpTester.Request request = request("POST", path);
        request.setHeader("Content-Type", contentType);
        request.setContent(bytes);
        HttpTester.Response response = server.exchange(request);
        String body = response.getContent() == null ? "" : response.getContent();
        if (response.getStatus() != 200) {
            throw new AssertionError("POST " + path + " answered " + response.getStatus() + ": " + body);
        }
        JsonNode uri = new TestResponse(200, Map.of(), body).json().path("content_uri");
        if (!uri.isTextual()) {
            throw new AssertionError("the upload's answer has no content_uri: " + body);
        }
        return uri.asText();
    }

    DownloadedMedia download(String mxcUri) {
        if (!mxcUri.startsWith("mxc://") || mxcUri.indexOf('/', "mxc://".length()) < 0) {
            throw new IllegalArgumentException("not an mxc:// URI: " + mxcUri);
        }
        String[] parts = mxcUri.substring("mxc://".length()).split("/", 2);
        String path =
                "/_matrix/client/v1/media/download/" + TestClient.encode(parts[0]) + "/" + TestClient.encode(parts[1]);
        HttpTester.Response response = server.exchange(request("GET", path));
        byte[] bytes = response.getContentBytes() == null ? new byte[0] : response.getContentBytes();
        if (response.getStatus() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.getStatus() + ": "
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        return new DownloadedMedia(
                response.get("Content-Type"), bytes, Optional.ofNullable(response.get("Content-Disposition")));
    }

    private HttpTester.Request request(String method, String path) {
        HttpTester.Request request = HttpTester.newRequest();
        request.setMethod(method);
        request.setURI(pathFor.apply(path));
        request.setVersion("HTTP/1.1");
        request.setHeader("Host", server.serverName());
        request.setHeader("Connection", "close");
        accessToken.ifPresent(token -> request.setHeader("Authorization", "Bearer " + token));
        return request;
    }
}
