package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.testserver.AdvanceClockEndpoint;
import dev.myelin.server.api.testserver.ClockEndpoint;
import dev.myelin.server.api.testserver.ResetEndpoint;
import dev.myelin.server.api.testserver.TestControls;
import java.util.Optional;

/**
 * The clock and reset endpoints of the {@code test-server} mode. A server built without {@link
 * TestControls} (every normal one) registers none of them, so they answer 404 there.
 */
public final class TestServerArea {
    private TestServerArea() {}

    public static void install(Router router, Optional<TestControls> controls) {
        controls.ifPresent(c -> {
            router.register(new ResetEndpoint(c));
            c.clock().ifPresent(clock -> {
                router.register(new ClockEndpoint(clock));
                router.register(new AdvanceClockEndpoint(clock));
            });
        });
    }
}
