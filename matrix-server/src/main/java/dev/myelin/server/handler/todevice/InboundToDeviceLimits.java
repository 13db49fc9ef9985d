package dev.myelin.server.handler.todevice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.server.handler.federation.EduHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code m.direct_to_device} EDUs from other servers, limited before {@code delivery}: at most
 * {@link #PER_ORIGIN} of them per origin server (a flood from one server cannot fill the inboxes of
 * this one's devices; {@code rc_federation} bounds its transactions, but each may carry 100 EDUs),
 * and Synapse's limit on room key requests ({@code rc_key_requests}, per sending user), each of
 * which makes every receiving device look for keys to share. The excess is dropped and logged.
 */
public final class InboundToDeviceLimits implements EduHandler {
    /** To-device EDUs taken from one server: 100 a second, in bursts of up to 1,000. */
    public static final RateLimit PER_ORIGIN = new RateLimit(100, 1000);

    private static final String KEY_REQUEST = "m.room_key_request";
    private static final Logger LOG = LoggerFactory.getLogger(InboundToDeviceLimits.class);

    private final EduHandler delivery;
    private final RateLimiter limiter;
    private final RateLimit perSender;

    public InboundToDeviceLimits(EduHandler delivery, RateLimiter limiter, RateLimit perSender) {
        this.delivery = delivery;
        this.limiter = limiter;
        this.perSender = perSender;
    }

    @Override
    public void handle(ServerName origin, JsonNode content) {
        if (limiter.tryAcquire("federated_to_device", origin.toString(), PER_ORIGIN) > 0) {
            LOG.info("Dropped a to-device EDU from {}: more than the server's limit", origin);
            return;
        }
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
