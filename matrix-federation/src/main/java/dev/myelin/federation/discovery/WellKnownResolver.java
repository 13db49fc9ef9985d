package dev.myelin.federation.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.time.Clock;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 of server discovery: fetches {@code https://<hostname>/.well-known/matrix/server},
 * validates its {@code m.server}, and caches the answer, valid or not, for the periods {@link
 * WellKnownCachePeriod} sets. Callers asking for the same host while a fetch is in flight share
 * it.
 *
 * <p>Redirects are followed here, one request per hop through the transport (so the IP blocklist
 * sees every hop), up to {@link ServerDiscovery#MAX_REDIRECTS}; a hop back to a URL already
 * visited ends the fetch at once, and a hop to anything but {@code https} is refused, since a
 * plain-text answer could delegate the server to anyone.
 *
 * <p>Failures are of two kinds, as they are in Synapse. An answer that arrived but is unusable
 * (not 200, not JSON, no valid {@code m.server}) is final. No answer (connection refused, timeout,
 * a refused address, a 5xx status, a body over {@link #MAX_BYTES}, a redirect loop) may be
 * passing: a still-cached delegation that is only due for refresh is then kept until it expires,
 * and the fetch is tried again every {@link WellKnownCachePeriod#ERROR_AFTER_VALID} meanwhile.
 */
final class WellKnownResolver {
    private static final Logger LOG = LoggerFactory.getLogger(WellKnownResolver.class);

    /** The largest answer read; larger ones are failures. */
    static final int MAX_BYTES = 50 * 1024;

    /** Cached hosts past which expired entries are swept on the next store. */
    private static final int SWEEP_ABOVE = 10_000;

    private final HttpTransport transport;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<Optional<ServerName>>> inFlight = new ConcurrentHashMap<>();

    WellKnownResolver(HttpTransport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * The delegated server name {@code hostname} publishes, or empty when it publishes none that
     * is usable (the spec then goes on with SRV records).
     */
    Optional<ServerName> delegation(String hostname) {
        String key = hostname.toLowerCase(Locale.ROOT);
        Entry cached = cache.get(key);
        if (cached != null && clock.monotonicNanos() < cached.refreshAt()) {
            return cached.delegated();
        }
        CompletableFuture<Optional<ServerName>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<ServerName>> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Optional<ServerName> result = refresh(key, hostname);
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static Optional<ServerName> await(CompletableFuture<Optional<ServerName>> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerDiscoveryException("interrupted while waiting for a .well-known lookup", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private Optional<ServerName> refresh(String key, String hostname) {
        long now = clock.monotonicNanos();
        Entry previous = cache.get(key);
        if (previous != null && now < previous.refreshAt()) {
            return previous.delegated(); // another caller refreshed it meanwhile
        }
        long hadValidUntil = previous == null ? Long.MIN_VALUE : previous.hadValidUntil();
        Outcome outcome = fetch(hostname);
        switch (outcome) {
            case Outcome.Valid valid -> {
                long period = valid.period().toNanos();
                long expires = now + period;
                long refresh = expires - (long) (period * WellKnownCachePeriod.REFRESH_SHARE);
                long remember = expires + WellKnownCachePeriod.REMEMBER_VALID.toNanos();
                store(key, new Entry(Optional.of(valid.server()), refresh, expires, remember), now);
                return Optional.of(valid.server());
            }
            case Outcome.Unreachable unreachable
            when previous != null
                    && now < previous.expiresAt()
                    && previous.delegated().isPresent() -> {
                LOG.info("Keeping the cached .well-known of {} for now: {}", hostname, unreachable.reason());
                long retry = Math.min(now + WellKnownCachePeriod.ERROR_AFTER_VALID.toNanos(), previous.expiresAt());
                store(key, new Entry(previous.delegated(), retry, previous.expiresAt(), hadValidUntil), now);
                return previous.delegated();
            }
            case Outcome.Unreachable unreachable ->
                LOG.info("No .well-known from {}: {}", hostname, unreachable.reason());
            case Outcome.Invalid invalid -> LOG.info("Unusable .well-known from {}: {}", hostname, invalid.reason());
        }
        Duration period = now < hadValidUntil ? WellKnownCachePeriod.ERROR_AFTER_VALID : WellKnownCachePeriod.ERROR;
        long expires = now + period.toNanos();
        long refresh = expires - (long) (period.toNanos() * WellKnownCachePeriod.REFRESH_SHARE);
        store(key, new Entry(Optional.empty(), refresh, expires, hadValidUntil), now);
        return Optional.empty();
    }

    private void store(String key, Entry entry, long now) {
        if (cache.size() >= SWEEP_ABOVE) {
            cache.values().removeIf(e -> now >= e.expiresAt() && now >= e.hadValidUntil());
        }
        cache.put(key, entry);
    }

    private Outcome fetch(String hostname) {
        URI uri = URI.create("https://" + hostname + "/.well-known/matrix/server");
        Set<String> visited = new HashSet<>(Set.of(sameness(uri)));
        for (int hop = 0; ; hop++) {
            OutboundResponse response;
            try {
                response = transport.send(OutboundRequest.get(uri));
            } catch (OutboundHttpException e) {
                return new Outcome.Unreachable(e.getMessage());
            }
            Optional<String> location = response.header("location");
            if (!isRedirect(response.status()) || location.isEmpty()) {
                return read(response);
            }
            if (hop == ServerDiscovery.MAX_REDIRECTS) {
                return new Outcome.Unreachable("more than " + ServerDiscovery.MAX_REDIRECTS + " redirects");
            }
            try {
                uri = uri.resolve(new URI(location.get().trim())).normalize();
            } catch (URISyntaxException | IllegalArgumentException e) {
                return new Outcome.Invalid("redirect to a malformed URL");
            }
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return new Outcome.Invalid("redirect to " + uri + ", not an https URL");
            }
            if (!visited.add(sameness(uri))) {
                return new Outcome.Unreachable("redirect loop at " + uri);
            }
        }
    }

    /** What makes two URLs the same one: host case and an explicit default port do not count. */
    private static String sameness(URI uri) {
        int port = uri.getPort() == 443 ? -1 : uri.getPort();
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + uri.getRawPath() + "?" + uri.getRawQuery();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private Outcome read(OutboundResponse response) {
        if (response.status() >= 500) {
            return new Outcome.Unreachable("status " + response.status());
        }
        if (response.body().length > MAX_BYTES) {
            return new Outcome.Unreachable("answer larger than " + MAX_BYTES + " bytes");
        }
        if (response.status() != 200) {
            return new Outcome.Invalid("status " + response.status());
        }
        JsonNode body;
        try {
            // the spec says to read the body as JSON whatever its Content-Type
            body = CanonicalJson.parse(response.body());
        } catch (RuntimeException e) {
            return new Outcome.Invalid("not JSON");
        }
        JsonNode server = body.path("m.server");
        if (!server.isTextual()) {
            return new Outcome.Invalid("no m.server string");
        }
        if (!ServerName.isValid(server.textValue())) {
            return new Outcome.Invalid("m.server is not a server name");
        }
        ServerName delegated = new ServerName(server.textValue());
        Optional<String> unusable = ServerDiscovery.unusable(delegated);
        if (unusable.isPresent()) {
            return new Outcome.Invalid("m.server names no address: " + unusable.get());
        }
        return new Outcome.Valid(delegated, WellKnownCachePeriod.forValid(response.headers(), clock.now()));
    }

    /** What one fetch gave. */
    private sealed interface Outcome {
        record Valid(ServerName server, Duration period) implements Outcome {}

        record Invalid(String reason) implements Outcome {}

        record Unreachable(String reason) implements Outcome {}
    }

    /**
     * A cached answer, times on the monotonic clock.
     *
     * @param delegated the delegation, or empty for "none usable"
     * @param refreshAt from when the next caller fetches again
     * @param expiresAt when a delegation stops being used even if a refresh gets no answer
     * @param hadValidUntil until when the host counts as having recently served a valid answer
     */
    private record Entry(Optional<ServerName> delegated, long refreshAt, long expiresAt, long hadValidUntil) {}
}
