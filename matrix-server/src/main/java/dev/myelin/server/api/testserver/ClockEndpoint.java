package dev.myelin.server.api.testserver;

import dev.myelin.core.time.ManualClock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_myelin/test/v1/clock}: the test server's current time, as the server stamps events
 * with it, and how many timers wait on the clock: {@code {"now_ms": N, "pending_timers": K}}. Each
 * long-poll {@code /sync} that is waiting is one timer, so a test that starts one can wait until
 * the count has grown before advancing past its timeout. Only in the {@code test-server --fake-clock} mode, only from
 * loopback.
 */
public final class ClockEndpoint extends JsonEndpoint<NoBody, ClockEndpoint.Response> {
    /** The endpoint's definition. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_myelin/test/v1/clock", Response.class).noAuth();

    /**
     * @param nowMs the server's wall time in milliseconds since the Unix epoch
     * @param pendingTimers how many threads sleep on the clock (long-polls, retries, background work)
     */
    public record Response(long nowMs, int pendingTimers) {
        static Response of(ManualClock clock) {
            return new Response(clock.nowMillis(), clock.pendingSleepers());
        }
    }

    private final ManualClock clock;

    public ClockEndpoint(ManualClock clock) {
        super(SPEC);
        this.clock = clock;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        LoopbackOnly.check(request);
        return Response.of(clock);
    }
}
