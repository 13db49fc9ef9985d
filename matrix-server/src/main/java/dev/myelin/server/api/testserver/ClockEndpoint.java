package dev.myelin.server.api.testserver;

import dev.myelin.core.time.ManualClock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_myelin/test/v1/clock}: the test server's current time, {@code {"now_ms": N}}, as the
 * server stamps events with it. Only in the {@code test-server --fake-clock} mode, only from
 * loopback.
 */
public final class ClockEndpoint extends JsonEndpoint<NoBody, ClockEndpoint.Response> {
    /** The endpoint's definition. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_myelin/test/v1/clock", Response.class).noAuth();

    /** @param nowMs the server's wall time in milliseconds since the Unix epoch */
    public record Response(long nowMs) {}

    private final ManualClock clock;

    public ClockEndpoint(ManualClock clock) {
        super(SPEC);
        this.clock = clock;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        LoopbackOnly.check(request);
        return new Response(clock.nowMillis());
    }
}
