package dev.myelin.server.handler.todevice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.server.handler.federation.EduHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code m.direct_to_device} EDUs from other servers, with Synapse's limit on room key requests
 * ({@code rc_key_requests}, per sending user): a server relaying a flood of {@code
 * m.room_key_request} messages, each of which makes every receiving device look for keys to share,
 * has the excess dropped. Other messages go on to {@code delivery}.
 */
public final class FederatedKeyRequestLimit implements EduHandler {
    private static final String KEY_REQUEST = "m.room_key_request";
    private static final Logger LOG = LoggerFactory.getLogger(FederatedKeyRequestLimit.class);

    private final EduHandler delivery;
    private final RateLimiter limiter;
    private final RateLimit perSender;

    public FederatedKeyRequestLimit(EduHandler delivery, RateLimiter limiter, RateLimit perSender) {
        this.delivery = delivery;
        this.limiter = limiter;
        this.perSender = perSender;
    }

    @Override
    public void handle(ServerName origin, JsonNode content) {
        if (KEY_REQUEST.equals(content.path("type").asText())
                && limiter.tryAcquire(
                                "federated_key_request", content.path("sender").asText(""), perSender)
                        > 0) {
            LOG.info(
                    "Dropped a room key request from {} of {}: rc_key_requests exceeded",
                    content.path("sender"),
                    origin);
            return;
        }
        delivery.handle(origin, content);
    }
}
