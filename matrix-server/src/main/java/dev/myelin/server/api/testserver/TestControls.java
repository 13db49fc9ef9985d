package dev.myelin.server.api.testserver;

import dev.myelin.core.time.ManualClock;
import java.util.Optional;

/**
 * What the {@code test-server} mode lets a test drive from outside the process: the server's clock
 * (when it runs on a controllable one) and a fresh start. Only a homeserver built with these
 * controls serves the {@code /_myelin/test/v1/...} endpoints; a normal server has none and answers
 * them 404.
 */
public interface TestControls {

    /**
     * The clock the server runs on, when it is one that only moves when told ({@code
     * --fake-clock}); empty when the server runs on the system clock, and then the clock endpoints
     * do not exist.
     */
    Optional<ManualClock> clock();

    /**
     * Replaces the homeserver with a new one over an empty database, behind the same listener; the
     * next request is served by the new one. The clock keeps its time.
     */
    void reset();
}
