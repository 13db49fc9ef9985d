package dev.myelin.server.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpTester;

/**
 * Binary requests through the test homeserver's in-memory connector: the raw HTTP is carried as
 * ISO-8859-1 text, one char per byte, so bodies of any bytes survive both ways.
 */
final class MediaHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MediaHttp() {}

    /** A response with a binary body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() {
            try {
                return body.length == 0 ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        String errcode() {
            return json().path("errcode").asText(null);
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }

        Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": "
                        + new String(body, StandardCharsets.UTF_8));
            }
            return this;
        }
    }

    static Optional<String> token(TestClient client) {
        return client.accessToken();
    }

    /**
     * Sends {@code body} (null for none) with the given extra headers; {@code chunked} sends it with
     * {@code Transfer-Encoding: chunked} instead of a {@code Content-Length}.
     */
    static Response send(
            TestHomeserver hs,
            String method,
            String path,
            Optional<String> token,
            Map<String, String> headers,
            byte[] body,
            boolean chunked) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(
                method + " " + path + " HTTP/1.1\r\nHost: " + hs.serverName() + "\r\nConnection: close\r\n");
        token.ifPresent(t -> head.append("Authorization: Bearer ").append(t).append("\r\n"));
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null && chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        raw.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null && chunked) {
            for (int off = 0; off < body.length; off += 8192) {
                int n = Math.min(8192, body.length - off);
                raw.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                raw.write(body, off, n);
                raw.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            raw.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (body != null) {
            raw.writeBytes(body);
        }
        String response =
                hs.homeserver().http().localRequest(new String(raw.toByteArray(), StandardCharsets.ISO_8859_1));
        ByteBuffer bytes = ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1));
        HttpTester.Response parsed =
                method.equals("HEAD") ? HttpTester.parseHeadResponse(bytes) : HttpTester.parseResponse(bytes);
        Map<String, String> out = new LinkedHashMap<>();
        for (HttpField field : parsed) {
            out.merge(field.getName(), field.getValue(), (a, b) -> a + ", " + b);
        }
        byte[] content = parsed.getContentBytes() == null ? new byte[0] : parsed.getContentBytes();
        return new Response(parsed.getStatus(), out, content);
    }

    static Response get(TestHomeserver hs, String path, Optional<String> token) {
        return send(hs, "GET", path, token, Map.of(), null, false);
    }

    /** Uploads {@code body} and returns the media id of its {@code content_uri}. */
    static String upload(TestHomeserver hs, TestClient client, byte[] body, String contentType, String fileName) {
        String path = "/_matrix/media/v3/upload"
                + (fileName == null
                        ? ""
                        : "?filename="
                                + java.net.URLEncoder.encode(fileName, StandardCharsets.UTF_8)
                                        .replace("+", "%20"));
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("Content-Type", contentType);
        String uri = send(hs, "POST", path, token(client), headers, body, false)
                .expect(200)
                .json()
                .get("content_uri")
                .asText();
        String prefix = "mxc://" + hs.serverName() + "/";
        if (!uri.startsWith(prefix)) {
            throw new AssertionError("unexpected content_uri " + uri);
        }
        return uri.substring(prefix.length());
    }

    static String download(TestHomeserver hs, String mediaId) {
        return "/_matrix/client/v1/media/download/" + hs.serverName() + "/" + mediaId;
    }

    static String thumbnail(TestHomeserver hs, String mediaId, String query) {
        return "/_matrix/client/v1/media/thumbnail/" + hs.serverName() + "/" + mediaId + "?" + query;
    }
}
