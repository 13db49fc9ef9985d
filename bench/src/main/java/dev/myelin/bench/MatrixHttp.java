package dev.myelin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.room.CreateRoomEndpoint;
import dev.myelin.server.api.client.room.JoinEndpoint;
import dev.myelin.server.api.client.room.JoinRequest;
import dev.myelin.server.api.client.room.SendEventEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The few Client-Server API calls the scenarios make, over one shared JDK {@link HttpClient}
 * (HTTP/1.1, one connection per request in flight, its callbacks on virtual threads). Any answer
 * other than 2xx throws {@link HttpStatusException} with the status and body.
 */
public final class MatrixHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A response that was not 2xx. */
    public static final class HttpStatusException extends IOException {
        final int status;

        HttpStatusException(int status, String body) {
            super("HTTP " + status + ": " + (body.length() > 300 ? body.substring(0, 300) : body));
            this.status = status;
        }
    }

    /**
     * Picks the process a request goes to, as a load balancer in front of a worker deployment
     * does: the base URL, {@code http://host:port}, for a request's path (without its query) and
     * access token (null for none).
     */
    @FunctionalInterface
    public interface Router {
        String baseUrl(String rawPath, String token);
    }

    /** A 2xx answer: the parsed body and its size in bytes. */
    public record Reply(JsonNode body, int bytes) {}

    private final String base;
    private final Router router;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final Duration timeout;

    public MatrixHttp(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /**
     * A client that sends each request to the process {@code router} picks ({@code baseUrl} for
     * a null router, and as {@link #base()}).
     */
    public MatrixHttp(String baseUrl, Duration timeout, Router router) {
        this.base = withoutSlash(baseUrl);
        this.router = router;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
    }

    public String base() {
        return base;
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Reply get(String path, String token) throws IOException, InterruptedException {
        return get(path, token, timeout);
    }

    public Reply get(String path, String token, Duration requestTimeout) throws IOException, InterruptedException {
        return send(request(path, token, requestTimeout).GET().build());
    }

    public Reply post(String path, String token, Object body) throws IOException, InterruptedException {
        return send(request(path, token, timeout).POST(bodyOf(body)).build());
    }

    public Reply put(String path, String token, Object body) throws IOException, InterruptedException {
        return send(request(path, token, timeout).PUT(bodyOf(body)).build());
    }

    /** Sends a prebuilt request; for the ceiling endpoints, which are not Matrix. */
    public Reply send(HttpRequest request) throws IOException, InterruptedException {
        byte[] body = exchange(request);
        JsonNode parsed = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        return new Reply(parsed, body.length);
    }

    /**
     * Sends one call to an endpoint as its shared definition says, without a token, and returns
     * the answer bound to the endpoint's response type.
     */
    public <R> R send(EndpointCall<?, R> call) throws IOException, InterruptedException {
        return send(call, null);
    }

    /**
     * Sends one call to an endpoint as its shared definition says, with {@code token} (null for
     * none), and returns the answer bound to the endpoint's response type.
     */
    public <R> R send(EndpointCall<?, R> call, String token) throws IOException, InterruptedException {
        return call.readResponse(exchange(build(call, token, timeout)));
    }

    /**
     * Sends one call as {@link #send(EndpointCall, String)} does, and returns the parsed body with
     * its size: for measurements that report response sizes.
     */
    public Reply exchange(EndpointCall<?, ?> call, String token, Duration requestTimeout)
            throws IOException, InterruptedException {
        return send(build(call, token, requestTimeout));
    }

    private HttpRequest build(EndpointCall<?, ?> call, String token, Duration requestTimeout) {
        return request(call.uri(), token, requestTimeout)
                .method(
                        call.method(),
                        call.hasBody()
                                ? HttpRequest.BodyPublishers.ofByteArray(call.bodyBytes())
                                : HttpRequest.BodyPublishers.noBody())
                .build();
    }

    /** The body of a 2xx answer to {@code request}. */
    private byte[] exchange(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // A pooled keep-alive connection that the server closed as idle just as it was reused:
            // nothing reached the server, so sending again is safe and is not a server failure.
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        byte[] body = response.body();
        if (response.statusCode() / 100 != 2) {
            throw new HttpStatusException(response.statusCode(), new String(body, StandardCharsets.UTF_8));
        }
        return body;
    }

    public HttpRequest.Builder request(String path, String token, Duration requestTimeout) {
        String target = base;
        if (router != null) {
            int query = path.indexOf('?');
            target = withoutSlash(router.baseUrl(query < 0 ? path : path.substring(0, query), token));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target + path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher bodyOf(Object body) throws IOException {
        return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    }

    // --- the Matrix calls -------------------------------------------------------------------

    public static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    /** Creates a public room ({@code preset: public_chat}) and returns its id. */
    public String createPublicRoom(String token, String name) throws IOException, InterruptedException {
        var body = new CreateRoomEndpoint.Request(
                null, null, name, null, null, null, null, null, "public_chat", null, null, null);
        return send(EndpointCall.of(CreateRoomEndpoint.SPEC, body), token).roomId();
    }

    public void join(String token, String roomId) throws IOException, InterruptedException {
        send(EndpointCall.of(JoinEndpoint.SPEC, JoinRequest.NONE, roomId), token);
    }

    /** Sends an {@code m.text} message and returns its event id. */
    public String sendText(String token, String roomId, String txnId, String text)
            throws IOException, InterruptedException {
        ObjectNode body = obj().put("msgtype", "m.text").put("body", text);
        return send(EndpointCall.of(SendEventEndpoint.SPEC, body, roomId, "m.room.message", txnId), token)
                .eventId();
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
