package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.server.api.client.account.LoginResponse;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.api.client.room.CreateRoomEndpoint;
import dev.myelin.server.api.client.room.InviteEndpoint;
import dev.myelin.server.api.client.room.InviteRequest;
import dev.myelin.server.api.client.room.JoinEndpoint;
import dev.myelin.server.api.client.room.JoinRequest;
import dev.myelin.server.api.client.room.LeaveEndpoint;
import dev.myelin.server.api.client.room.MessagesEndpoint;
import dev.myelin.server.api.client.room.ReasonRequest;
import dev.myelin.server.api.client.room.SendEventEndpoint;
import dev.myelin.server.api.client.room.SetStateEndpoint;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Matrix client of a {@link TestHomeserver}, optionally logged in. Requests go through the real
 * HTTP stack (Jetty's in-memory connector), so tests see exactly what a client over the network
 * would.
 *
 * <p>Besides one-call helpers for the common requests, a client keeps a {@code /sync} position:
 * {@link #sync()} syncs from where the last call left off, and {@link #awaitEvent} and
 * {@link #awaitSync} long-poll from there until something arrives, moving the server's
 * {@link FakeClock} forward instead of sleeping:
 *
 * <pre>{@code
 * bob.sendMessage(room, "ping");
 * ClientEvent reply = alice.awaitEvent(room, e -> e.isMessage("pong"));
 * }</pre>
 *
 * <p>A client is safe to share between threads, but one {@code /sync} position is meant to be
 * used by one thread at a time.
 */
public final class TestClient {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How long the wait helpers wait unless told, in the server's clock time. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** The least clock time one long-poll of a wait helper covers on a fake clock. */
    private static final Duration POLL_STEP = Duration.ofSeconds(1);
    /** A long wait on a fake clock is cut into about this many long-polls. */
    private static final int POLLS_PER_WAIT = 20;
    /** The longest single long-poll on the system clock. */
    private static final Duration WALL_CLOCK_POLL = Duration.ofSeconds(10);
    /** Real time a long-poll gets to be woken by an event before the fake clock is advanced. */
    private static final Duration GRACE = Duration.ofMillis(20);
    /** The least real time a wait lasts before it can fail, however fast the fake clock ran. */
    private static final Duration REAL_TIME_PATIENCE = Duration.ofSeconds(5);
    /** A single long-poll that takes longer than this in real time is stuck. */
    private static final Duration POLL_REAL_TIME_LIMIT = Duration.ofSeconds(25);

    private final TestHomeserver server;
    private final Optional<String> accessToken;
    private final String userId;
    private final String deviceId;
    /** The {@code user_id} an application service's client asserts on every request, if any. */
    private final Optional<String> masquerade;

    private final AtomicLong txn = new AtomicLong();
    private final AtomicReference<String> since = new AtomicReference<>();

    TestClient(TestHomeserver server, Optional<String> accessToken, String userId, String deviceId) {
        this(server, accessToken, userId, deviceId, Optional.empty());
    }

    private TestClient(
            TestHomeserver server,
            Optional<String> accessToken,
            String userId,
            String deviceId,
            Optional<String> masquerade) {
        this.server = server;
        this.accessToken = accessToken;
        this.userId = userId;
        this.deviceId = deviceId;
        this.masquerade = masquerade;
    }

    /**
     * This client's access token.
     *
     * @return the token, empty for an anonymous client
     */
    public Optional<String> accessToken() {
        return accessToken;
    }

    /** The logged-in user's id, or null for an anonymous client. */
    public String userId() {
        return userId;
    }

    /**
     * The logged-in device's id.
     *
     * @return the device id, or null for an anonymous client
     */
    public String deviceId() {
        return deviceId;
    }

    /** Sends a request with this client's token; {@code body} may be null, a JSON node, or a raw string. */
    public TestResponse request(String method, String path, @Nullable Object body) {
        return server.request(method, masqueraded(path), body, accessToken.orElse(null));
    }

    /**
     * A client of the same application service acting as {@code userId}, a user of its namespace
     * (or its own user): every request carries the {@code user_id} query parameter, with its own
     * {@code /sync} position. Only an application service's client ({@link
     * TestHomeserver#appServiceClient}) may assert another user's identity; the homeserver answers
     * 403 {@code M_FORBIDDEN} for a user outside the namespace.
     *
     * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#identity-assertion">Identity assertion</a>
     */
    public TestClient asUser(String userId) {
        return new TestClient(server, accessToken, userId, null, Optional.of(userId));
    }

    /**
     * Registers the user {@code localpart} of this application service's namespace, as a bridge
     * registers its ghost users: {@code POST /register} with {@code type:
     * m.login.application_service}, authenticated with the {@code as_token}, no password, and
     * {@code inhibit_login} (the service acts as the user by {@link #asUser}). Returns the
     * service's client acting as the new user.
     *
     * @throws AssertionError when the homeserver refuses (a user outside the namespace, one taken)
     */
    public TestClient registerGhost(String localpart) {
        // without user_id: the service registers as itself, whoever this client acts as
        TestClient service = new TestClient(server, accessToken, userId, deviceId);
        LoginResponse registered =
                service.send(EndpointCall.of(RegisterEndpoint.SPEC, RegisterEndpoint.Request.appService(localpart)));
        return asUser(registered.userId());
    }

    /** {@code path} with this client's {@code user_id} assertion, if it makes one. */
    private String masqueraded(String path) {
        if (masquerade.isEmpty()) {
            return path;
        }
        return path + (path.contains("?") ? "&" : "?") + "user_id=" + encode(masquerade.get());
    }

    /**
     * Sends a request to an endpoint as its shared definition says, with this client's token.
     * This is how the helpers below and tests that want a typed answer talk to the server; the
     * raw {@link #request} stays for sending what a definition would not (malformed bodies).
     */
    public TestResponse call(EndpointCall<?, ?> call) {
        return server.request(
                call.method(),
                masqueraded(call.uri()),
                call.hasBody() ? new String(call.bodyBytes(), StandardCharsets.UTF_8) : null,
                accessToken.orElse(null));
    }

    /**
     * Sends a request as {@link #call} does, expects a 2xx answer, and returns its body bound to the
     * endpoint's response type.
     *
     * @throws AssertionError when the server answers with anything but a 2xx status
     */
    public <R> R send(EndpointCall<?, R> call) {
        TestResponse response = call(call);
        if (response.status() / 100 != 2) {
            throw new AssertionError(
                    call.method() + " " + call.uri() + " answered " + response.status() + ": " + response.body());
        }
        return call.readResponse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code GET} with this client's token.
     *
     * @param path the path and query string
     * @return the response
     */
    public TestResponse get(String path) {
        return request("GET", path, null);
    }

    /**
     * {@code POST} with this client's token.
     *
     * @param path the path and query string
     * @param body the body: a JSON node, a raw string, or null
     * @return the response
     */
    public TestResponse post(String path, Object body) {
        return request("POST", path, body);
    }

    /**
     * {@code PUT} with this client's token.
     *
     * @param path the path and query string
     * @param body the body: a JSON node, a raw string, or null
     * @return the response
     */
    public TestResponse put(String path, Object body) {
        return request("PUT", path, body);
    }

    /** Creates a room and returns its id; {@code body} may be null. */
    public String createRoom(@Nullable ObjectNode body) {
        CreateRoomEndpoint.Request request =
                EndpointJson.fromTree(body == null ? NODES.objectNode() : body, CreateRoomEndpoint.Request.class);
        return send(EndpointCall.of(CreateRoomEndpoint.SPEC, request)).roomId();
    }

    /**
     * Sends an {@code m.text} message and expects 200.
     *
     * @param roomId the room
     * @param text the body
     * @return the new event's id
     */
    public String sendMessage(String roomId, String text) {
        ObjectNode content = NODES.objectNode().put("msgtype", "m.text").put("body", text);
        return sendEvent(roomId, "m.room.message", content);
    }

    /**
     * Sends a message event with a fresh transaction id and expects 200.
     *
     * @param roomId the room
     * @param type the event type
     * @param content the content
     * @return the new event's id
     */
    public String sendEvent(String roomId, String type, ObjectNode content) {
        return send(EndpointCall.of(SendEventEndpoint.SPEC, content, roomId, type, "t" + txn.incrementAndGet()))
                .eventId();
    }

    /**
     * Sends a state event and expects 200.
     *
     * @param roomId the room
     * @param type the event type
     * @param stateKey the state key
     * @param content the content
     * @return the new event's id
     */
    public String sendState(String roomId, String type, String stateKey, ObjectNode content) {
        return send(EndpointCall.of(SetStateEndpoint.SPEC, content, roomId, type, stateKey))
                .eventId();
    }

    /** {@code POST /join/{roomIdOrAlias}}; check the result with {@code .expect(200)}. */
    public TestResponse join(String roomIdOrAlias) {
        return call(EndpointCall.of(JoinEndpoint.SPEC, JoinRequest.NONE, roomIdOrAlias));
    }

    /** {@code POST /rooms/{roomId}/invite} of {@code user} (a full user id). */
    public TestResponse invite(String roomId, String user) {
        return call(EndpointCall.of(InviteEndpoint.SPEC, InviteRequest.user(user), roomId));
    }

    /** {@code POST /rooms/{roomId}/leave}; also rejects an invite. */
    public TestResponse leave(String roomId) {
        return call(EndpointCall.of(LeaveEndpoint.SPEC, ReasonRequest.NONE, roomId));
    }

    /** The latest (at most 100) events of a room's timeline, oldest first, from {@code /messages}. */
    public List<ClientEvent> messages(String roomId) {
        return messages(roomId, 100);
    }

    /**
     * The latest {@code limit} events of a room's timeline as this user may see them, oldest
     * first: {@code GET /rooms/{roomId}/messages?dir=b&limit=...}, with the page reversed.
     */
    public List<ClientEvent> messages(String roomId, int limit) {
        MessagesEndpoint.Response page = send(
                EndpointCall.of(MessagesEndpoint.SPEC, roomId).query("dir", "b").query("limit", limit));
        List<ClientEvent> events = new ArrayList<>(SyncResponse.events(page.chunk()));
        Collections.reverse(events);
        return List.copyOf(events);
    }

    /**
     * One {@code /sync} without waiting, from this client's position (the first call is an
     * initial sync), and moves the position to its {@code next_batch}.
     */
    public SyncResponse sync() {
        SyncResponse response =
                new SyncResponse(call(syncCall(since.get(), 0)).expect(200).json());
        since.set(response.nextBatch());
        return response;
    }

    /**
     * Waits for an event in {@code roomId}'s timeline that {@code condition} accepts, for up to 30
     * seconds of the server's clock; see {@link #awaitEvent(String, Predicate, Duration)}.
     */
    public ClientEvent awaitEvent(String roomId, Predicate<ClientEvent> condition) {
        return awaitEvent(roomId, condition, DEFAULT_WAIT);
    }

    /**
     * Syncs from this client's position until an event in {@code roomId}'s timeline satisfies
     * {@code condition}, and returns the first such event. Events before the position are not
     * looked at, except that when the client has never synced, the initial sync's timeline is.
     * The position moves past every response read, so the next wait starts after this one.
     *
     * <p>Waiting is {@link #awaitSync(Predicate, Duration) awaitSync}'s: long-polls that advance
     * the fake clock, ending with an {@link AssertionError} that lists the events seen.
     */
    public ClientEvent awaitEvent(String roomId, Predicate<ClientEvent> condition, Duration timeout) {
        AtomicReference<ClientEvent> match = new AtomicReference<>();
        List<String> seen = new ArrayList<>();
        awaitSync(
                sync -> {
                    for (ClientEvent event : sync.timeline(roomId)) {
                        if (condition.test(event)) {
                            match.set(event);
                            return true;
                        }
                        seen.add(event.type() + " from " + event.sender()
                                + event.body().map(b -> ": " + b).orElse(""));
                    }
                    return false;
                },
                timeout,
                () -> "no matching event in " + roomId + " for " + userId + "; timeline events seen: " + seen);
        return match.get();
    }

    /**
     * Syncs from this client's position until a response satisfies {@code condition}, and
     * returns that response.
     *
     * <p>On a {@link FakeClock} each step is a {@code /sync} long-poll of one second (or a
     * twentieth of {@code timeout}, if longer): if nothing wakes it within 20 ms of real time, the
     * clock is advanced by that much, so timers in the server (and in code under test on the same
     * clock) fire as they would while a real client waits. The wait fails once {@code timeout}
     * has passed on the clock and at least five seconds of real time have passed, so work
     * happening on other threads (a bot on a real HTTP client) gets real time too. On the system
     * clock ({@link TestHomeserver.Builder#wallClock()}) it simply long-polls for up to
     * {@code timeout}.
     *
     * @throws AssertionError if no response satisfied {@code condition} in time
     */
    public SyncResponse awaitSync(Predicate<SyncResponse> condition, Duration timeout) {
        List<String> bodies = new ArrayList<>();
        return awaitSync(
                sync -> {
                    boolean matched = condition.test(sync);
                    if (!matched && !sync.json().path("rooms").isEmpty()) {
                        bodies.add(sync.json().toString());
                    }
                    return matched;
                },
                timeout,
                () -> "no /sync response for " + userId + " matched; non-empty responses: " + bodies);
    }

    private SyncResponse awaitSync(Predicate<SyncResponse> condition, Duration timeout, Supplier<String> failure) {
        Clock time = server.time();
        long timeoutNanos = timeout.toNanos();
        long clockStart = time.monotonicNanos();
        long realStart = System.nanoTime();
        // long waits take bigger steps; FakeClock.advance still wakes every timer in order
        Duration step = timeout.dividedBy(POLLS_PER_WAIT).compareTo(POLL_STEP) > 0
                ? timeout.dividedBy(POLLS_PER_WAIT)
                : POLL_STEP;
        if (since.get() == null) {
            SyncResponse initial = sync();
            if (condition.test(initial)) {
                return initial;
            }
        }
        while (true) {
            long remaining = timeoutNanos - (time.monotonicNanos() - clockStart);
            boolean patient = System.nanoTime() - realStart < REAL_TIME_PATIENCE.toNanos();
            if (remaining <= 0 && (server.isWallClock() || !patient)) {
                throw new AssertionError(failure.get() + " (waited " + timeout + " on the homeserver's clock)");
            }
            long pollMillis = server.isWallClock()
                    ? Math.clamp(TimeUnit.NANOSECONDS.toMillis(remaining), 0, WALL_CLOCK_POLL.toMillis())
                    : remaining <= 0
                            ? 0
                            : Math.min(step.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            if (pollMillis == 0 && !server.isWallClock()) {
                // the clock budget is spent: give other threads real time, without moving the clock
                pauseRealTime(GRACE);
            }
            SyncResponse response = longPoll(pollMillis);
            since.set(response.nextBatch());
            if (condition.test(response)) {
                return response;
            }
        }
    }

    /** One sync long-poll; on a fake clock, advances it until the poll returns. */
    private SyncResponse longPoll(long timeoutMillis) {
        EndpointCall<NoBody, ObjectNode> sync = syncCall(since.get(), timeoutMillis);
        CompletableFuture<TestResponse> poll = new CompletableFuture<>();
        Thread.ofVirtual().name("test-sync-" + userId).start(() -> {
            try {
                poll.complete(call(sync));
            } catch (RuntimeException | Error e) {
                poll.completeExceptionally(e);
            }
        });
        long realDeadline = System.nanoTime() + POLL_REAL_TIME_LIMIT.toNanos();
        while (true) {
            try {
                return new SyncResponse(poll.get(GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .expect(200)
                        .json());
            } catch (TimeoutException e) {
                if (System.nanoTime() > realDeadline) {
                    throw new AssertionError("a /sync long-poll of " + timeoutMillis + " ms did not return within "
                            + POLL_REAL_TIME_LIMIT + " of real time");
                }
                if (!server.isWallClock()) {
                    // the poll is asleep on the clock (or about to be): let its timeout pass
                    server.clock().advance(Duration.ofMillis(timeoutMillis));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for /sync", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) e.getCause();
            }
        }
    }

    private static void pauseRealTime(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for /sync", e);
        }
    }

    private static EndpointCall<NoBody, ObjectNode> syncCall(String since, long timeoutMillis) {
        EndpointCall<NoBody, ObjectNode> call =
                EndpointCall.of(SyncEndpoint.SPEC).query("timeout", timeoutMillis);
        return since == null ? call : call.query("since", since);
    }

    /** One {@code /sync} call; {@code since} may be null. {@code params} are extra query parameters. */
    public JsonNode sync(@Nullable String since, Map<String, String> params) {
        EndpointCall<NoBody, ObjectNode> call = syncCall(since, 0);
        for (Map.Entry<String, String> param : params.entrySet()) {
            call = call.query(param.getKey(), param.getValue());
        }
        return call(call).expect(200).json();
    }

    /**
     * Percent-encodes one path segment or query value ({@code %20} for spaces).
     *
     * @param value the raw value
     * @return the encoded value
     */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
