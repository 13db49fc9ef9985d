package dev.myelin.replication;

import java.time.Duration;

/**
 * How long to wait before the next connection attempt: 100 ms, doubling to at most 2 s.
 *
 * <p>Short at first so a Redis restart costs little, capped so a long outage is noticed soon
 * after it ends without hammering the server meanwhile. Confined to one thread.
 */
final class Backoff {

    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(2);

    private Duration next = FIRST;

    /** The wait before the next attempt; each call doubles the following one up to the cap. */
    Duration next() {
        Duration current = next;
        Duration doubled = current.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return current;
    }

    /** After a successful connection: the next loss starts again from the shortest wait. */
    void reset() {
        next = FIRST;
    }
}
