package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.server.FederationNetwork;
import dev.myelin.server.TestSeam;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpTester;

/**
 * Several {@link TestHomeserver}s with different server names in one JVM, on one shared
 * {@link FakeClock}, each with an outbound {@link HttpTransport} that delivers
 * {@code https://<server name>/...} requests straight to that server's in-memory connector: a
 * network for federation tests, without sockets, DNS or TLS.
 *
 * <pre>{@code
 * try (TestFederation net = TestFederation.start("a.test", "b.test")) {
 *     HttpTransport fromA = net.transport("a.test");
 *     OutboundResponse versions = fromA.send(OutboundRequest.get(URI.create("https://b.test/_matrix/client/versions")));
 *
 *     net.link("a.test", "b.test").delay(Duration.ofSeconds(2)); // requests wait on the clock
 *     net.link("b.test", "a.test").drop();                       // and these never arrive
 *
 *     net.awaitConverged(roomId, Duration.ofMinutes(1));         // every server has the same state
 *     net.awaitState(roomId, "m.room.topic", "", c -> c.has("topic"), Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>The homeservers federate with each other through it: each finds the others by name and
 * sends them signed requests over these links, fetching and checking their keys, with the
 * transaction queue and each destination's backoff running on the shared clock. So a broken link
 * shows as it would between real servers: transactions wait, back off and are delivered in order
 * when it heals.
 *
 * <p>Each direction between two servers is a {@link Link} with its own failure mode. Requests to
 * a name that is not in the federation fail as an unresolvable host would.
 */
public final class TestFederation implements AutoCloseable {
    private static final Comparator<StateKey> STATE_KEY_ORDER =
            Comparator.comparing(StateKey::type).thenComparing(StateKey::stateKey);
    /** How far the clock moves between two looks at the servers. */
    private static final Duration CLOCK_STEP = Duration.ofSeconds(1);
    /** Real time the servers get to work after each step of the clock. */
    private static final Duration SETTLE = Duration.ofMillis(25);
    /** Real time the servers get after the last step before the wait fails. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final FakeClock clock;
    private final Map<String, TestHomeserver> servers = new ConcurrentHashMap<>();
    private final List<String> names;
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    private TestFederation(FakeClock clock, List<String> names) {
        this.clock = clock;
        this.names = List.copyOf(names);
    }

    /** Starts one homeserver per name, with default settings, on a new shared {@link FakeClock}. */
    public static TestFederation start(String... serverNames) {
        return start(name -> {}, serverNames);
    }

    /**
     * Starts one homeserver per name on a new shared {@link FakeClock}; {@code customize} sets
     * up each builder before the server starts (its server name and clock are then set by the
     * federation, and a wall clock is not possible).
     */
    public static TestFederation start(Consumer<TestHomeserver.Builder> customize, String... serverNames) {
        if (serverNames.length == 0) {
            throw new IllegalArgumentException("a federation needs at least one server");
        }
        if (new LinkedHashSet<>(List.of(serverNames)).size() != serverNames.length) {
            throw new IllegalArgumentException("a server name is given twice in " + List.of(serverNames));
        }
        FakeClock clock = new FakeClock(TestHomeserver.DEFAULT_START_TIME);
        TestFederation federation = new TestFederation(clock, List.of(serverNames));
        try {
            for (String name : serverNames) {
                TestHomeserver.Builder builder = TestHomeserver.builder();
                customize.accept(builder);
                // the name, the shared clock and the network are what make it a member of this federation
                federation.servers.put(
                        name,
                        builder.serverName(name)
                                .clock(clock)
                                .federationNetwork(federation.network(name))
                                .start());
            }
        } catch (RuntimeException | Error e) {
            federation.close();
            throw e;
        }
        return federation;
    }

    /** How {@code from} reaches the others: every name resolves to itself, requests go over the links. */
    private FederationNetwork network(String from) {
        return new FederationNetwork(
                name -> new ResolvedDestination(
                        name,
                        DiscoveryStep.DEFAULT_PORT,
                        Optional.empty(),
                        List.of(new ResolvedDestination.Target(
                                name.host(), name.port().orElse(ResolvedDestination.DEFAULT_PORT))),
                        name.toString(),
                        name.host()),
                (request, connectHost) -> deliver(from, request));
    }

    /** The names of the servers, in the order they were started. */
    public List<String> serverNames() {
        return names;
    }

    /** The homeserver named {@code serverName}. */
    public TestHomeserver server(String serverName) {
        TestHomeserver server = servers.get(serverName);
        if (server == null) {
            throw new IllegalArgumentException(
                    "no server " + serverName + " in this federation; it has " + servers.keySet());
        }
        return server;
    }

    /** The clock every server of the federation runs on. */
    public FakeClock clock() {
        return clock;
    }

    /**
     * The outbound transport of {@code from}: a request to {@code https://<name>/<path>} (or
     * {@code http://}) is delivered to the server called {@code name} over the {@link Link}
     * from {@code from} to it, with a {@code Host} header of {@code name}.
     */
    public HttpTransport transport(String from) {
        server(from);
        return request -> deliver(from, request);
    }

    /** The one-way link from {@code from} to {@code to}, to break, slow down or inspect. */
    public Link link(String from, String to) {
        server(from);
        server(to);
        return links.computeIfAbsent(from + " -> " + to, key -> new Link(from, to));
    }

    private OutboundResponse deliver(String from, OutboundRequest request) {
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URI: " + uri);
        }
        String to = servers.containsKey(uri.getRawAuthority()) ? uri.getRawAuthority() : uri.getHost();
        if (!servers.containsKey(to)) {
            throw new OutboundHttpException(
                    "cannot resolve " + uri.getHost() + ": not a server of this test federation " + servers.keySet(),
                    null);
        }
        return link(from, to).carry(request, servers.get(to));
    }

    /**
     * Waits until every server of the federation has the same current state for {@code roomId}:
     * for each key the same event. Between looks the federation's clock is advanced a second at
     * a time, at most by {@code within}, so that transactions waiting for a destination's backoff
     * are sent again; the servers get a moment of real time to work after each step.
     *
     * @return the agreed state, by key
     * @throws AssertionError when they still differ after {@code within}, listing each key on
     *     which they differ with each server's event (id, sender and content), or none
     */
    public Map<StateKey, EventId> awaitConverged(String roomId, Duration within) {
        RoomId room = RoomId.parse(roomId);
        Map<String, Map<StateKey, EventId>> states = await(within, () -> {
            Map<String, Map<StateKey, EventId>> now = currentStates(room);
            return new HashSet<>(now.values()).size() == 1
                            && !now.values().iterator().next().isEmpty()
                    ? Optional.of(now)
                    : Optional.empty();
        });
        if (states == null) {
            Map<String, Map<StateKey, EventId>> now = currentStates(room);
            Set<StateKey> keys = new TreeSet<>(STATE_KEY_ORDER);
            now.values().forEach(s -> keys.addAll(s.keySet()));
            keys.removeIf(
                    key -> now.values().stream().map(s -> s.get(key)).distinct().count() == 1);
            throw new AssertionError("the servers " + names + " do not agree on the current state of " + roomId
                    + " after " + within + " on the federation's clock; they differ on:\n"
                    + describe(room, keys, now));
        }
        return states.values().iterator().next();
    }

    /**
     * Waits until every server of the federation has the same current state event for {@code
     * eventType} and {@code stateKey} in {@code roomId}, and its content satisfies {@code
     * content}; the clock advances as for {@link #awaitConverged}.
     *
     * @return the content they agree on
     * @throws AssertionError when they do not within {@code within}, naming each server's event
     */
    public JsonNode awaitState(
            String roomId, String eventType, String stateKey, Predicate<JsonNode> content, Duration within) {
        RoomId room = RoomId.parse(roomId);
        StateKey key = StateKey.of(eventType, stateKey);
        JsonNode agreed = await(within, () -> {
            Set<Optional<EventId>> ids = new HashSet<>();
            for (String name : names) {
                ids.add(Optional.ofNullable(seam(name).currentState(room).get(key)));
            }
            if (ids.size() != 1 || ids.iterator().next().isEmpty()) {
                return Optional.empty();
            }
            return seam(names.getFirst())
                    .event(ids.iterator().next().get())
                    .map(e -> e.pdu().content())
                    .filter(content);
        });
        if (agreed == null) {
            throw new AssertionError("the servers " + names + " do not agree on " + eventType + " '" + stateKey
                    + "' in " + roomId + " (or its content is not the one expected) after " + within
                    + " on the federation's clock:\n" + describe(room, Set.of(key), currentStates(room)));
        }
        return agreed;
    }

    /**
     * Looks with {@code check} until it gives a value, advancing the clock by {@link #CLOCK_STEP}
     * after each look, at most by {@code within}, then for {@link #GRACE} of real time without
     * advancing; null when it never does.
     */
    private <T> T await(Duration within, Supplier<Optional<T>> check) {
        Instant until = clock.now().plus(within);
        long graceEnds = Long.MAX_VALUE;
        while (true) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            Instant now = clock.now();
            if (now.isBefore(until)) {
                Duration left = Duration.between(now, until);
                clock.advance(left.compareTo(CLOCK_STEP) < 0 ? left : CLOCK_STEP);
            } else if (graceEnds == Long.MAX_VALUE) {
                graceEnds = System.nanoTime() + GRACE.toNanos();
            } else if (System.nanoTime() - graceEnds > 0) {
                return null;
            }
            try {
                Thread.sleep(SETTLE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the servers to agree", e);
            }
        }
    }

    private Map<String, Map<StateKey, EventId>> currentStates(RoomId room) {
        Map<String, Map<StateKey, EventId>> states = new LinkedHashMap<>();
        for (String name : names) {
            states.put(name, seam(name).currentState(room));
        }
        return states;
    }

    private TestSeam seam(String name) {
        return server(name).homeserver().testSeam();
    }

    /** One line per key and server: the event each server has for it, or none. */
    private String describe(RoomId room, Set<StateKey> keys, Map<String, Map<StateKey, EventId>> states) {
        StringBuilder out = new StringBuilder();
        for (StateKey key : keys) {
            out.append("  ")
                    .append(key.type())
                    .append(" '")
                    .append(key.stateKey())
                    .append("':\n");
            states.forEach((name, state) -> {
                out.append("    ").append(name).append(": ");
                EventId id = state.get(key);
                if (id == null) {
                    out.append(state.isEmpty() ? "(not in the room)" : "(none)");
                } else {
                    Optional<StoredEvent> event = seam(name).event(id);
                    out.append(id.value());
                    event.ifPresent(e -> out.append(" from ")
                            .append(e.pdu().sender())
                            .append(' ')
                            .append(e.pdu().content()));
                }
                out.append('\n');
            });
        }
        return out.toString();
    }

    /** Closes every homeserver. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (String name : names) {
            TestHomeserver server = servers.get(name);
            if (server == null) {
                continue;
            }
            try {
                server.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The requests from one server to another, one way. Delivers normally until told otherwise;
     * each setting replaces the previous one and applies to requests sent after it.
     */
    public final class Link {
        private final String from;
        private final String to;
        private final List<OutboundRequest> delivered = new CopyOnWriteArrayList<>();
        private final AtomicInteger attempted = new AtomicInteger();
        private volatile Mode mode = new Mode.Deliver(Duration.ZERO);
        private volatile Function<OutboundRequest, Optional<OutboundResponse>> standIn = request -> Optional.empty();

        private Link(String from, String to) {
            this.from = from;
            this.to = to;
        }

        /** What happens to a request on this link. */
        private sealed interface Mode {
            record Deliver(Duration delay) implements Mode {}

            record Drop(Duration timeout) implements Mode {}

            record Refuse() implements Mode {}

            record Status(int status) implements Mode {}
        }

        /** Requests are delivered at once (the default). */
        public Link heal() {
            mode = new Mode.Deliver(Duration.ZERO);
            return this;
        }

        /** Requests are delivered after {@code delay} has passed on the federation's clock. */
        public Link delay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay " + delay);
            }
            mode = new Mode.Deliver(delay);
            return this;
        }

        /**
         * Requests are lost: the sender waits 60 seconds on the federation's clock, then gets an
         * {@link OutboundHttpException} as for a timeout. The target never sees them.
         */
        public Link drop() {
            return drop(Duration.ofSeconds(60));
        }

        /** Like {@link #drop()}, with the sender timing out after {@code timeout} on the clock. */
        public Link drop(Duration timeout) {
            mode = new Mode.Drop(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        /** Requests fail at once with an {@link OutboundHttpException}, as for a refused connection. */
        public Link fail() {
            mode = new Mode.Refuse();
            return this;
        }

        /**
         * Requests are answered with {@code status} and a Matrix {@code M_UNKNOWN} error body
         * without reaching the target, as a failing proxy or overloaded server would.
         */
        public Link failWithStatus(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            mode = new Mode.Status(status);
            return this;
        }

        /**
         * Requests that {@code standIn} answers are answered by it instead of {@code to}, as a
         * server whose endpoints this one does not have would answer them; the others reach {@code
         * to}. Both only while the link delivers, and both count as delivered.
         */
        public Link answerWith(Function<OutboundRequest, Optional<OutboundResponse>> standIn) {
            this.standIn = Objects.requireNonNull(standIn, "standIn");
            return this;
        }

        /** How many requests were sent over this link, whatever became of them. */
        public int attempted() {
            return attempted.get();
        }

        /** The requests that reached {@code to} over this link, in order. */
        public List<OutboundRequest> delivered() {
            return List.copyOf(delivered);
        }

        private OutboundResponse carry(OutboundRequest request, TestHomeserver target) {
            attempted.incrementAndGet();
            switch (mode) {
                case Mode.Refuse refuse ->
                    throw new OutboundHttpException(
                            "connection to " + to + " refused (test federation link " + this + ")", null);
                case Mode.Status status -> {
                    String body = "{\"errcode\":\"M_UNKNOWN\",\"error\":\"test federation link " + this + " answers "
                            + status.status() + "\"}";
                    return new OutboundResponse(
                            status.status(),
                            Map.of("content-type", List.of("application/json")),
                            body.getBytes(StandardCharsets.UTF_8));
                }
                case Mode.Drop drop -> {
                    sleep(drop.timeout());
                    throw new OutboundHttpException(
                            "request to " + to + " timed out after " + drop.timeout()
                                    + " (dropped by test federation link " + this + ")",
                            null);
                }
                case Mode.Deliver deliver -> {
                    if (!deliver.delay().isZero()) {
                        sleep(deliver.delay());
                    }
                    delivered.add(request);
                    Optional<OutboundResponse> answer = standIn.apply(request);
                    return answer.isPresent() ? answer.get() : exchange(request, target);
                }
            }
        }

        private void sleep(Duration duration) {
            try {
                clock.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutboundHttpException("interrupted", e);
            }
        }

        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    private static OutboundResponse exchange(OutboundRequest request, TestHomeserver target) {
        URI uri = request.uri();
        HttpTester.Request raw = HttpTester.newRequest();
        raw.setMethod(request.method());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        raw.setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        raw.setVersion("HTTP/1.1");
        request.headers().forEach((name, values) -> values.forEach(value -> raw.add(name, value)));
        raw.put("Host", uri.getRawAuthority());
        raw.put("Connection", "close");
        request.body().ifPresent(body -> {
            raw.put("Content-Type", body.contentType());
            raw.setContent(body.bytes());
        });
        HttpTester.Response response = target.exchange(raw);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : response) {
            headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>())
                    .add(field.getValue());
        }
        byte[] body = response.getContentBytes();
        return new OutboundResponse(response.getStatus(), headers, body == null ? new byte[0] : body);
    }
}
