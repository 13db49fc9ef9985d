package dev.myelin.server.api.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestHomeserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Application services answered in process: registrations written to files, and the transport the
 * homeserver reaches them through. Each service {@code id} has the url {@code http://id.bridge};
 * a test sets what a service answers per path, and sees every request it was sent.
 */
final class FakeBridges implements HttpTransport {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request a service received. */
    record Received(String service, String method, String path, String query, String authorization, String body) {}

    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private final Map<String, Function<OutboundRequest, OutboundResponse>> answers = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeBridges(Path dir) {
        this.dir = dir;
    }

    /**
     * Registers service {@code id} (tokens {@code as-<id>} and {@code hs-<id>}, sender {@code
     * <id>-bot}, users {@code @<id>_.*} not exclusively) bridging {@code protocols}; without a url
     * when {@code withUrl} is false.
     */
    FakeBridges register(String id, boolean withUrl, String... protocols) {
        String yaml = "id: " + id + "\n"
                + "url: " + (withUrl ? "'http://" + id + ".bridge'" : "null") + "\n"
                + "as_token: as-" + id + "\n"
                + "hs_token: hs-" + id + "\n"
                + "sender_localpart: " + id + "-bot\n"
                + "namespaces: {users: [{exclusive: false, regex: '@" + id + "_.*'}]}\n"
                + "protocols: [" + String.join(", ", protocols) + "]\n";
        Path file = dir.resolve(id + ".yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.add(file);
        return this;
    }

    /** A homeserver with the registered services, reaching them through this transport. */
    TestHomeserver start() {
        String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ", "[", "]"));
        return TestHomeserver.builder()
                .config("app_service_config_files", list)
                .appServiceTransport(this)
                .start();
    }

    /** What {@code service} answers to requests for {@code path} (under {@code /_matrix/app/v1}). */
    void answer(String service, String path, Function<OutboundRequest, OutboundResponse> answer) {
        answers.put(service + " " + path, answer);
    }

    /** {@code service} answers {@code status} with {@code json} to requests for {@code path}. */
    void answer(String service, String path, int status, String json) {
        answer(service, path, request -> response(status, json));
    }

    /** {@code service} cannot be reached at {@code path}. */
    void down(String service, String path) {
        answer(service, path, request -> {
            throw new OutboundHttpException("connection refused", new ConnectException("refused"));
        });
    }

    static OutboundResponse response(int status, String body) {
        return new OutboundResponse(
                status, Map.of("content-type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8));
    }

    /** The requests {@code service} received, as {@code METHOD path?query}. */
    List<String> requestsTo(String service) {
        return received.stream()
                .filter(r -> r.service().equals(service))
                .map(r -> r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query()))
                .toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OutboundResponse send(OutboundRequest request) {
        String service = request.uri().getHost().replace(".bridge", "");
        String path = request.uri().getRawPath().replace("/_matrix/app/v1", "");
        received.add(new Received(
                service,
                request.method(),
                path,
                request.uri().getRawQuery(),
                request.headers().getOrDefault("Authorization", List.of("")).getFirst(),
                request.body()
                        .map(b -> new String(b.bytes(), StandardCharsets.UTF_8))
                        .orElse("")));
        Function<OutboundRequest, OutboundResponse> answer = answers.get(service + " " + path);
        return answer == null
                ? response(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"no\"}")
                : answer.apply(request);
    }
}
