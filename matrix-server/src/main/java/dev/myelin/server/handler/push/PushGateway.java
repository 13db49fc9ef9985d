package dev.myelin.server.handler.push;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends {@link NotifyRequest}s to push gateways and reads their answers.
 *
 * @see <a href="https://spec.matrix.org/v1.19/push-gateway-api/#post_matrixpushv1notify">Push Gateway API</a>
 */
final class PushGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;

    PushGateway(HttpTransport http) {
        this.http = http;
    }

    /**
     * What a gateway answered.
     *
     * @param delivered whether it took the notification (a 2xx status)
     * @param rejected  the pushkeys it says are no longer valid
     */
    record Answer(boolean delivered, Set<String> rejected) {
        Answer {
            rejected = Set.copyOf(rejected);
        }
    }

    /**
     * Posts {@code request}.
     *
     * @throws OutboundHttpException if no answer arrived (connection refused, timeout, a blocked
     *     address)
     */
    Answer send(NotifyRequest request) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request.body());
        } catch (JacksonException e) {
            throw new IllegalStateException("a notification is always serialisable", e);
        }
        OutboundResponse response = http.send(new OutboundRequest(
                "POST",
                request.url(),
                Map.of("Accept", List.of("application/json")),
                Optional.of(new OutboundRequest.Body("application/json", body))));
        boolean delivered = response.status() >= 200 && response.status() < 300;
        return new Answer(delivered, delivered ? rejected(response.body()) : Set.of());
    }

    /** The {@code rejected} pushkeys of a 2xx answer; a body that is not the spec's shape rejects nothing. */
    private static Set<String> rejected(byte[] body) {
        Set<String> keys = new HashSet<>();
        try {
            JsonNode list = JSON.readTree(body).path("rejected");
            list.forEach(key -> {
                if (key.isTextual()) {
                    keys.add(key.textValue());
                }
            });
        } catch (java.io.IOException e) {
            // a gateway that took the notification but answered something else rejected nothing
        }
        return keys;
    }
}
