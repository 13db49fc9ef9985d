package dev.myelin.server.handler.todevice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundToDeviceLimitsTest {
    private static final ServerName FLOODER = ServerName.parse("flood.example");
    private static final ServerName OTHER = ServerName.parse("other.example");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> delivered = new ArrayList<>();
    private final InboundToDeviceLimits limits = new InboundToDeviceLimits(
            (origin, content) ->
                    delivered.add(origin + " " + content.path("type").asText()),
            new RateLimiter(clock),
            new RateLimit(20, 2));

    private static ObjectNode edu(String type, String sender) {
        return JsonNodeFactory.instance.objectNode().put("type", type).put("sender", sender);
    }

    @Test
    void oneServerCannotDeliverMoreThanItsShareAndOthersAreUnaffected() {
        for (int i = 0; i < InboundToDeviceLimits.PER_ORIGIN.burstCount() + 50; i++) {
            limits.handle(FLOODER, edu("org.example.spam", "@a:flood.example"));
        }
        limits.handle(OTHER, edu("org.example.hello", "@b:other.example"));

        assertThat(delivered).hasSize(InboundToDeviceLimits.PER_ORIGIN.burstCount() + 1);
        assertThat(delivered.getLast()).isEqualTo("other.example org.example.hello");
        clock.advance(Duration.ofSeconds(1));
        limits.handle(FLOODER, edu("org.example.later", "@a:flood.example"));
        assertThat(delivered.getLast()).isEqualTo("flood.example org.example.later");
    }

    @Test
    void roomKeyRequestsAreLimitedPerSendingUser() {
        for (int i = 0; i < 5; i++) {
            limits.handle(OTHER, edu("m.room_key_request", "@a:other.example"));
        }
        limits.handle(OTHER, edu("m.room_key_request", "@b:other.example"));
        limits.handle(OTHER, edu("m.room.encrypted", "@a:other.example"));

        assertThat(delivered)
                .containsExactly(
                        "other.example m.room_key_request",
                        "other.example m.room_key_request",
                        "other.example m.room_key_request",
                        "other.example m.room.encrypted");
    }
}
