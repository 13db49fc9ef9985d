package dev.myelin.testing;

import dev.myelin.http.server.ListenerInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Faults a test injects into a {@link TestHomeserver}'s loopback listener, to see how a bot or
 * bridge on a real HTTP client copes with a server that is slow or answers {@code 429} or {@code
 * 5xx}: {@link TestHomeserver#faults()}. Only requests over the loopback socket are affected; the
 * test's own {@link TestClient}s (in memory) never are.
 *
 * <pre>{@code
 * hs.faults().failNext("/_matrix/client/v3/rooms/[^/]+/send/.+", 429, Duration.ofSeconds(2));
 * hs.faults().failNext("/_matrix/client/v3/sync", 502);
 * hs.faults().delay("/_matrix/client/v3/sync", Duration.ofMillis(500));   // until clear()
 * ...
 * assertThat(hs.faults().injected()).hasSize(2);
 * }</pre>
 *
 * <p>A path pattern is a regular expression that must match the whole request path (percent-encoded
 * as sent, without the query string). Each {@code failNext} answers one matching request, in the
 * order they were added; a {@code 429} carries {@code M_LIMIT_EXCEEDED} (with {@code retry_after_ms}
 * and a {@code Retry-After} header when a retry delay is given), any other status {@code M_UNKNOWN}.
 * Delays are real time; a request both delayed and failed is answered after the delay.
 */
public final class LoopbackFaults {
    /** One fault: for the next matching request only ({@code once}), or for every one until cleared. */
    private static final class Rule {
        final Pattern path;
        final Duration delay;
        final Optional<ListenerInterceptor.Answer> answer;
        final boolean once;

        Rule(Pattern path, Duration delay, Optional<ListenerInterceptor.Answer> answer, boolean once) {
            this.path = path;
            this.delay = delay;
            this.answer = answer;
            this.once = once;
        }
    }

    /**
     * A request that met a fault.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param status the status answered in the server's place, or 0 when the server handled it
     * @param delay how long it was held back
     */
    public record Injected(String method, String path, int status, Duration delay) {}

    private final List<Rule> rules = new ArrayList<>();
    private final List<Injected> injected = new ArrayList<>();

    LoopbackFaults() {}

    /** Answers the next request whose path matches {@code pathPattern} with {@code status}. */
    public LoopbackFaults failNext(String pathPattern, int status) {
        return add(pathPattern, Duration.ZERO, Optional.of(answer(status, Optional.empty())), true);
    }

    /**
     * Answers the next request whose path matches {@code pathPattern} with {@code status} (usually
     * 429) telling the client to retry after {@code retryAfter}.
     */
    public LoopbackFaults failNext(String pathPattern, int status, Duration retryAfter) {
        return add(pathPattern, Duration.ZERO, Optional.of(answer(status, Optional.of(retryAfter))), true);
    }

    /** Holds the next request whose path matches {@code pathPattern} back for {@code delay}, then serves it. */
    public LoopbackFaults delayNext(String pathPattern, Duration delay) {
        return add(pathPattern, delay, Optional.empty(), true);
    }

    /** Holds every request whose path matches {@code pathPattern} back for {@code delay}, until {@link #clear()}. */
    public LoopbackFaults delay(String pathPattern, Duration delay) {
        return add(pathPattern, delay, Optional.empty(), false);
    }

    /** Removes every fault not yet used; what was injected stays in {@link #injected()}. */
    public synchronized void clear() {
        rules.clear();
    }

    /** The requests that met a fault so far, in order. */
    public synchronized List<Injected> injected() {
        return List.copyOf(injected);
    }

    private synchronized LoopbackFaults add(
            String pathPattern, Duration delay, Optional<ListenerInterceptor.Answer> answer, boolean once) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        rules.add(new Rule(Pattern.compile(pathPattern), delay, answer, once));
        return this;
    }

    private static ListenerInterceptor.Answer answer(int status, Optional<Duration> retryAfter) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an injected failure is a 4xx or 5xx status, not " + status);
        }
        String errcode = status == 429 ? "M_LIMIT_EXCEEDED" : "M_UNKNOWN";
        String json = "{\"errcode\":\"" + errcode + "\",\"error\":\"Injected by the test (HTTP " + status + ")\""
                + retryAfter.map(d -> ",\"retry_after_ms\":" + d.toMillis()).orElse("") + "}";
        Map<String, String> headers = retryAfter
                .map(d -> Map.of("Retry-After", Long.toString((d.toMillis() + 999) / 1000)))
                .orElse(Map.of());
        return new ListenerInterceptor.Answer(status, headers, json);
    }

    /** What the loopback listener asks for each request. */
    ListenerInterceptor interceptor() {
        return this::decide;
    }

    private synchronized ListenerInterceptor.Verdict decide(String method, String path) {
        Duration delay = Duration.ZERO;
        Optional<ListenerInterceptor.Answer> answer = Optional.empty();
        boolean onceDelayed = false;
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (!rule.path.matcher(path).matches()) {
                continue;
            }
            if (rule.once && (rule.answer.isPresent() ? answer.isPresent() : onceDelayed)) {
                continue; // one of each kind per request: the next one waits for the next request
            }
            onceDelayed |= rule.once && rule.answer.isEmpty();
            if (rule.delay.compareTo(delay) > 0) {
                delay = rule.delay;
            }
            if (rule.answer.isPresent()) {
                answer = rule.answer;
            }
            if (rule.once) {
                it.remove();
            }
        }
        if (delay.isZero() && answer.isEmpty()) {
            return ListenerInterceptor.Verdict.PASS;
        }
        injected.add(new Injected(
                method, path, answer.map(ListenerInterceptor.Answer::status).orElse(0), delay));
        return new ListenerInterceptor.Verdict(delay, answer);
    }
}
