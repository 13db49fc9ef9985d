package dev.myelin.federation.discovery;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps SRV answers, with or without records, for {@link #PERIOD}, so resolving a server does not
 * ask DNS twice (the current and the deprecated name) for every request. A fixed period stands in
 * for the records' TTL, which the JDK's DNS provider does not expose; failed lookups are not kept.
 */
final class SrvCache {
    /** How long an answer is used. */
    static final Duration PERIOD = Duration.ofMinutes(10);

    private static final int SWEEP_ABOVE = 10_000;

    private final FederationDns dns;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();

    SrvCache(FederationDns dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    List<SrvRecord> srv(String name) {
        long now = clock.monotonicNanos();
        Entry cached = cache.get(name);
        if (cached != null && now < cached.expiresAt()) {
            return cached.records();
        }
        List<SrvRecord> records = List.copyOf(dns.srv(name));
        if (cache.size() >= SWEEP_ABOVE) {
            cache.values().removeIf(e -> now >= e.expiresAt());
        }
        cache.put(name, new Entry(records, now + PERIOD.toNanos()));
        return records;
    }

    private record Entry(List<SrvRecord> records, long expiresAt) {}
}
