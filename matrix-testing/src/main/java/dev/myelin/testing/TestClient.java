package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.server.api.client.account.LoginResponse;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.api.client.presence.GetPresenceEndpoint;
import dev.myelin.server.api.client.presence.SetPresenceEndpoint;
import dev.myelin.server.api.client.receipt.ReceiptEndpoint;
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
import dev.myelin.server.api.client.typing.TypingEndpoint;
import dev.myelin.server.handler.presence.PresenceContent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A Matrix client of a {@link TestHomeserver}, optionally logged in. Requests go through the real
 * HTTP stack (Jetty's in-memory connector), so tests see exactly what a client over the network
 * would.
 *
 * <p>Besides one-call helpers for the common requests, a client keeps a {@code /sync} position:
 * {@link #sync()} syncs from where the last call left off, and {@link #awaitEvent} and
 * {@link #awaitSync} long-poll from there until something arrives, moving the server's
 * {@link FakeClock} forward instead of sleeping. {@link #awaitEventInRealTime}, {@link
 * #awaitSyncInRealTime} and {@link #assertNoEvent} wait in real time and never move the clock, for
 * tests whose code under test keeps timers on the same clock:
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
    /** How many events {@link #messages(String)} asks for. */
    public static final int DEFAULT_MESSAGES_LIMIT = 100;

    private final TestHomeserver server;
    private final Optional<String> accessToken;
    private final String userId;
    private final String deviceId;
    /** The {@code user_id} an application service's client asserts on every request, if any. */
    private final Optional<String> masquerade;

    private final AtomicLong txn = new AtomicLong();
    private final AtomicReference<String> since = new AtomicReference<>();
    private final SyncWaiter waiter;
    private final MediaTransfer media;

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
        this.waiter = new SyncWaiter(this, server, since);
        this.media = new MediaTransfer(server, accessToken, this::masqueraded);
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

    /**
     * The latest events of a room's timeline, at most {@value #DEFAULT_MESSAGES_LIMIT}, oldest
     * first, from {@code /messages}; see {@link #messages(String, int)} for a longer room.
     */
    public List<ClientEvent> messages(String roomId) {
        return messages(roomId, DEFAULT_MESSAGES_LIMIT);
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
        SyncResponse response = new SyncResponse(
                call(SyncWaiter.syncCall(since.get(), 0)).expect(200).json());
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
        EventSearch search = new EventSearch(roomId, condition);
        waiter.awaitSync(search::matches, timeout, search::failure);
        return search.match.get();
    }

    /**
     * Like {@link #awaitEvent(String, Predicate, Duration)}, but leaves every clock alone: it polls
     * {@code /sync} (without a long-poll timeout) every 15 ms of real time and fails after {@code
     * realTimeout} of real time. For tests whose code under test shares the server's {@link
     * FakeClock} (a bot's timers), which only the test should move.
     */
    public ClientEvent awaitEventInRealTime(String roomId, Predicate<ClientEvent> condition, Duration realTimeout) {
        EventSearch search = new EventSearch(roomId, condition);
        waiter.awaitSyncInRealTime(search::matches, realTimeout, search::failure);
        return search.match.get();
    }

    /**
     * Like {@link #awaitSync(Predicate, Duration)}, but leaves every clock alone: it polls {@code
     * /sync} every 15 ms of real time and fails after {@code realTimeout} of real time.
     */
    public SyncResponse awaitSyncInRealTime(Predicate<SyncResponse> condition, Duration realTimeout) {
        return waiter.awaitSyncInRealTime(condition, realTimeout, () -> "no /sync response for " + userId + " matched");
    }

    /**
     * Asserts that no timeline event of {@code roomId} that {@code condition} accepts arrives
     * during {@code realTime} (a few hundred milliseconds is typical): polls {@code /sync} from this
     * client's position (for a client that has never synced, from the moment of the call) in real
     * time, and fails as soon as one matches. The position stays where it was, so a later wait
     * still sees everything, and no clock is moved. It costs {@code realTime}, not the five seconds
     * of a failing {@link #awaitEvent}.
     *
     * @throws AssertionError naming the event, if one matched
     */
    public void assertNoEvent(String roomId, Predicate<ClientEvent> condition, Duration realTime) {
        waiter.assertNoEvent(roomId, condition, realTime);
    }

    /** The search for one timeline event in the responses of a wait, and what it saw meanwhile. */
    private final class EventSearch {
        private final String roomId;
        private final Predicate<ClientEvent> condition;
        private final AtomicReference<ClientEvent> match = new AtomicReference<>();
        private final List<String> seen = new ArrayList<>();

        EventSearch(String roomId, Predicate<ClientEvent> condition) {
            this.roomId = roomId;
            this.condition = condition;
        }

        boolean matches(SyncResponse sync) {
            for (ClientEvent event : sync.timeline(roomId)) {
                if (condition.test(event)) {
                    match.set(event);
                    return true;
                }
                seen.add(event.type() + " from " + event.sender()
                        + event.body().map(b -> ": " + b).orElse(""));
            }
            return false;
        }

        String failure() {
            return "no matching event in " + roomId + " for " + userId + "; timeline events seen: " + seen;
        }
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
        return waiter.awaitSync(
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

    /** One {@code /sync} call; {@code since} may be null. {@code params} are extra query parameters. */
    public JsonNode sync(@Nullable String since, Map<String, String> params) {
        EndpointCall<NoBody, ObjectNode> call = SyncWaiter.syncCall(since, 0);
        for (Map.Entry<String, String> param : params.entrySet()) {
            call = call.query(param.getKey(), param.getValue());
        }
        return call(call).expect(200).json();
    }

    /**
     * Uploads media ({@code POST /_matrix/media/v3/upload}) and returns its {@code mxc://} URI.
     *
     * @param fileName the {@code filename} to store with it, or null for none
     * @throws AssertionError unless the server answers 200
     */
    public String uploadMedia(byte[] content, String contentType, @Nullable String fileName) {
        return media.upload(content, contentType, fileName);
    }

    /**
     * Downloads media by its {@code mxc://} URI through the authenticated endpoint ({@code GET
     * /_matrix/client/v1/media/download/{serverName}/{mediaId}}).
     *
     * @throws AssertionError unless the server answers 200
     */
    public DownloadedMedia downloadMedia(String mxcUri) {
        return media.download(mxcUri);
    }

    /**
     * Says this user is typing in {@code roomId} for up to {@code timeout}, or has stopped ({@code
     * typing} false, timeout ignored); others see it as an {@code m.typing} event in the room's
     * {@link SyncResponse#ephemeral ephemeral} section.
     */
    public void setTyping(String roomId, boolean typing, Duration timeout) {
        send(EndpointCall.of(
                TypingEndpoint.SPEC,
                new TypingEndpoint.Request(typing, typing ? timeout.toMillis() : null),
                roomId,
                userId));
    }

    /**
     * Sends an {@code m.read} receipt for {@code eventId}; others see it as an {@code m.receipt}
     * event in the room's {@link SyncResponse#ephemeral ephemeral} section.
     */
    public void sendReadReceipt(String roomId, String eventId) {
        sendReceipt(roomId, "m.read", eventId);
    }

    /** Sends a receipt of {@code receiptType} ({@code m.read}, {@code m.read.private}) for {@code eventId}. */
    public void sendReceipt(String roomId, String receiptType, String eventId) {
        send(EndpointCall.of(ReceiptEndpoint.SPEC, new ReceiptEndpoint.Request(null), roomId, receiptType, eventId));
    }

    /**
     * Sets this user's presence ({@code online}, {@code unavailable} or {@code offline}) and status
     * message (null clears it); users sharing a room see it in {@link SyncResponse#presence()}.
     */
    public void setPresence(String presence, @Nullable String statusMessage) {
        send(EndpointCall.of(
                SetPresenceEndpoint.SPEC, new SetPresenceEndpoint.Request(presence, statusMessage), userId));
    }

    /** {@code GET /presence/{userId}/status}: a user's presence as this client sees it. */
    public PresenceContent presence(String userId) {
        return send(EndpointCall.of(GetPresenceEndpoint.SPEC, userId));
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
