package dev.myelin.server.api.testserver;

import dev.myelin.core.time.ManualClock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.time.Duration;

/**
 * {@code POST /_myelin/test/v1/clock/advance} with {@code {"ms": N}}: moves the test server's
 * clock forward by N milliseconds and answers as {@link ClockEndpoint} does once every timer that fell due
 * has fired (a long-poll {@code /sync} whose timeout passed has then been answered). {@code ms} must
 * be a whole number from 0 to ten years; time never goes backwards. Only in the {@code
 * test-server --fake-clock} mode, only from loopback.
 */
public final class AdvanceClockEndpoint extends JsonEndpoint<AdvanceClockEndpoint.Request, ClockEndpoint.Response> {
    /** The endpoint's definition. */
    public static final EndpointSpec<Request, ClockEndpoint.Response> SPEC = EndpointSpec.post(
                    "/_myelin/test/v1/clock/advance", Request.class, ClockEndpoint.Response.class)
            .noAuth();

    /**
     * Far more than any test needs, and far from where the clock's nanosecond count would
     * saturate (about 292 years).
     */
    static final long MAX_MS = Duration.ofDays(3653).toMillis();

    /** @param ms how many milliseconds to move the clock forward */
    public record Request(Long ms) {
        /** Checks that {@code ms} is present. */
        public Request {
            EndpointJson.required(ms, "ms");
        }
    }

    private final ManualClock clock;

    public AdvanceClockEndpoint(ManualClock clock) {
        super(SPEC);
        this.clock = clock;
    }

    @Override
    protected ClockEndpoint.Response handle(MatrixRequest request, Request body) {
        LoopbackOnly.check(request);
        if (body.ms() < 0) {
            throw MatrixException.invalidParam("ms", "time cannot go backwards");
        }
        if (body.ms() > MAX_MS) {
            throw MatrixException.invalidParam("ms", "at most " + MAX_MS + " (ten years) at a time");
        }
        clock.advance(Duration.ofMillis(body.ms()));
        return ClockEndpoint.Response.of(clock);
    }
}
