package dev.myelin.replication;

import java.time.Duration;
import java.util.Objects;

/**
 * How quickly a dead Redis is noticed.
 *
 * <p>A crashed server closes its connections and is noticed at once; a hung one, or one behind a
 * broken network, just stops answering, so every read has a deadline. The subscription is idle
 * when nothing happens, so it is PINGed every {@code pingInterval}; with a {@code read} timeout
 * longer than that interval, a subscription that hears nothing (not even the PONG) for {@code
 * read} is treated as dead.
 *
 * @param connect how long a TCP connect may take
 * @param read how long any reply may take, and how long the subscription may stay silent
 * @param pingInterval how often the subscription is pinged
 */
record Timeouts(Duration connect, Duration read, Duration pingInterval) {

    /** 2 s to connect, 10 s for a reply, a PING every 5 s. */
    static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5));

    Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if (read.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("the read timeout must be longer than the ping interval");
        }
    }

    int connectMillis() {
        return Math.toIntExact(connect.toMillis());
    }

    int readMillis() {
        return Math.toIntExact(read.toMillis());
    }
}
