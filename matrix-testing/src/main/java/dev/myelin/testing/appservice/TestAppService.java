package dev.myelin.testing.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.FakeClock;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An application service that lives in the test: it answers the Application Service API in
 * process, records every transaction the homeserver pushes, and lets the test wait for them and
 * assert on them, the way a bridge would see them.
 *
 * <p>Give it to {@link dev.myelin.testing.TestHomeserver.Builder#appService(TestAppService)}: the
 * homeserver then loads its registration (from a YAML file the builder writes) and sends every
 * request for {@link AppServiceRegistration#url()} to {@link #send(OutboundRequest)}, in process
 * (this class is an {@link HttpTransport} for that reason). The test acts as the service towards
 * the homeserver with {@link dev.myelin.testing.TestHomeserver#appServiceClient(TestAppService)}.
 *
 * <pre>{@code
 * AppServiceRegistration registration = AppServiceRegistration.builder("irc")
 *         .senderLocalpart("ircbot")
 *         .exclusiveUsers("@irc_.*:test\\.local")
 *         .build();
 * TestAppService bridge = TestAppService.of(registration);
 * try (TestHomeserver hs = TestHomeserver.builder().appService(bridge).start()) {
 *     TestClient ghost = hs.appServiceClient(bridge).registerGhost("irc_bob");
 *     ...
 *     alice.sendMessage(room, "hello IRC");
 *     ClientEvent relayed = bridge.awaitEvent(e -> e.isMessage("hello IRC"), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>What it serves (authenticated with the registration's {@code hs_token}, as an
 * {@code Authorization: Bearer} header or the legacy {@code access_token} query parameter):
 * <ul>
 *   <li>{@code PUT /_matrix/app/v1/transactions/{txnId}}: recorded once per transaction id; a
 *       repeated id is acknowledged without being recorded again, as the spec requires. A
 *       handler set with {@link #onTransaction} sees each new transaction first;
 *   <li>{@code GET /_matrix/app/v1/users/{userId}} and {@code GET /_matrix/app/v1/rooms/{alias}}:
 *       200 when the test's predicate accepts the id ({@link #answerUserQuery},
 *       {@link #answerAliasQuery}), else 404 {@code M_NOT_FOUND};
 *   <li>{@code POST /_matrix/app/v1/ping}: 200.
 * </ul>
 *
 * <p>Failures to test the homeserver's retries with: {@link #failNextTransactions(int)} answers
 * HTTP 500, {@link #goOffline()} makes the service unreachable until {@link #goOnline()}.
 *
 * <p>The waits ({@link #awaitTransaction}, {@link #awaitEvent}, {@link #awaitEphemeral}) take
 * real time when the service runs on its own. Attached to a homeserver on a {@link FakeClock}
 * (which {@code TestHomeserver.Builder#appService} does), they wait as {@link
 * dev.myelin.testing.TestClient#awaitSync TestClient's} do: they advance that clock while nothing
 * arrives, so retries with backoff happen, and their timeout is on the homeserver's clock (with at
 * least five seconds of real time). {@link #awaitEventInRealTime} and {@link #assertNoEvent} never
 * move the clock: they wait in real time, for a bridge whose own timers share the homeserver's clock.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/">Application Service API</a>
 */
public final class TestAppService implements HttpTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/_matrix/app/v1/";
    /** Real time a wait gives the homeserver to deliver before it advances a fake clock. */
    private static final Duration GRACE = Duration.ofMillis(20);
    /** The least clock time one step of a wait on a fake clock advances. */
    private static final Duration CLOCK_STEP = Duration.ofSeconds(1);
    /** A long wait on a fake clock is cut into about this many steps. */
    private static final int STEPS_PER_WAIT = 20;
    /** The least real time a wait on a fake clock lasts before it can fail. */
    private static final Duration REAL_TIME_PATIENCE = Duration.ofSeconds(5);

    private final AppServiceRegistration registration;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition received = lock.newCondition();
    private final List<AppServiceTransaction> transactions = new ArrayList<>();
    private final Set<String> seenTxnIds = new HashSet<>();
    private final List<String> userQueries = new CopyOnWriteArrayList<>();
    private final List<String> aliasQueries = new CopyOnWriteArrayList<>();
    private int consumed;
    private int failuresLeft;
    private volatile boolean offline;
    private volatile Optional<FakeClock> clock = Optional.empty();
    private volatile Predicate<String> users = id -> false;
    private volatile Predicate<String> aliases = alias -> false;
    private volatile Consumer<AppServiceTransaction> handler = transaction -> {};

    private TestAppService(AppServiceRegistration registration) {
        this.registration = Objects.requireNonNull(registration, "registration");
    }

    /** A receiver for {@code registration}, answering no user or alias queries. */
    public static TestAppService of(AppServiceRegistration registration) {
        return new TestAppService(registration);
    }

    /**
     * The registration the homeserver is given for this service.
     *
     * @return the registration
     */
    public AppServiceRegistration registration() {
        return registration;
    }

    /**
     * User queries are answered "exists" for the ids {@code exists} accepts. A bridge that
     * provisions users on demand registers the user here before answering true.
     */
    public TestAppService answerUserQuery(Predicate<String> exists) {
        this.users = Objects.requireNonNull(exists, "exists");
        return this;
    }

    /**
     * Room alias queries are answered "exists" for the aliases {@code exists} accepts. A bridge
     * that provisions rooms on demand creates the room with the alias here before answering true.
     */
    public TestAppService answerAliasQuery(Predicate<String> exists) {
        this.aliases = Objects.requireNonNull(exists, "exists");
        return this;
    }

    /**
     * Hands each new transaction to {@code handler} (a bridge's own code) before it is
     * acknowledged and recorded; a repeated transaction id is not handed over again. The handler
     * runs on the homeserver's sending thread and may call the homeserver. If it throws, the
     * transaction is answered HTTP 500 and not recorded, so the homeserver sends it again later,
     * as it would to a bridge that failed.
     */
    public TestAppService onTransaction(Consumer<AppServiceTransaction> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * The next {@code count} transactions are answered HTTP 500 and not recorded, so that the
     * homeserver's retries can be tested.
     */
    public TestAppService failNextTransactions(int count) {
        lock.lock();
        try {
            failuresLeft = count;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * The service stops answering: every request fails as a refused connection would
     * ({@link OutboundHttpException}) until {@link #goOnline()}. Nothing is recorded meanwhile.
     */
    public TestAppService goOffline() {
        offline = true;
        return this;
    }

    /** The service answers again after {@link #goOffline()}. */
    public TestAppService goOnline() {
        offline = false;
        return this;
    }

    /**
     * Waits on {@code clock}'s time rather than in real time, advancing it while nothing arrives
     * (see the class description). {@link dev.myelin.testing.TestHomeserver.Builder#appService}
     * calls this with the homeserver's clock; a test rarely needs to.
     */
    public TestAppService advancingWhileWaiting(FakeClock clock) {
        this.clock = Optional.of(clock);
        return this;
    }

    /**
     * Handles one request as the application service's HTTP server would. Never throws for bad
     * input: answers with the status and Matrix error a real service would.
     *
     * @throws OutboundHttpException while the service is offline ({@link #goOffline()})
     */
    @Override
    public OutboundResponse send(OutboundRequest request) {
        if (offline) {
            throw new OutboundHttpException(
                    "application service " + registration.id() + " is offline (goOffline): connection refused", null);
        }
        URI uri = request.uri();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.startsWith(PREFIX)) {
            return error(404, "M_UNRECOGNIZED", "unknown endpoint " + path);
        }
        Optional<String> token = token(request);
        if (token.isEmpty()) {
            return error(401, "M_MISSING_TOKEN", "no hs_token");
        }
        if (!token.get().equals(registration.hsToken())) {
            return error(403, "M_FORBIDDEN", "wrong hs_token");
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        String method = request.method();
        if (parts.length == 2 && parts[0].equals("transactions") && method.equals("PUT")) {
            return transaction(decode(parts[1]), request);
        }
        if (parts.length == 2 && parts[0].equals("users") && method.equals("GET")) {
            String userId = decode(parts[1]);
            userQueries.add(userId);
            return users.test(userId) ? ok() : error(404, "M_NOT_FOUND", "no such user " + userId);
        }
        if (parts.length == 2 && parts[0].equals("rooms") && method.equals("GET")) {
            String alias = decode(parts[1]);
            aliasQueries.add(alias);
            return aliases.test(alias) ? ok() : error(404, "M_NOT_FOUND", "no such alias " + alias);
        }
        if (parts.length == 1 && parts[0].equals("ping") && method.equals("POST")) {
            return ok();
        }
        return error(404, "M_UNRECOGNIZED", "unknown endpoint " + method + " " + path);
    }

    private OutboundResponse transaction(String txnId, OutboundRequest request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body().map(OutboundRequest.Body::bytes).orElse(new byte[0]));
        } catch (IOException e) {
            return error(400, "M_NOT_JSON", "body is not JSON");
        }
        if (body == null || !body.isObject() || !body.path("events").isArray()) {
            return error(400, "M_BAD_JSON", "a transaction needs an events array");
        }
        lock.lock();
        try {
            if (failuresLeft > 0) {
                failuresLeft--;
                return error(500, "M_UNKNOWN", "failing on purpose (failNextTransactions)");
            }
            if (seenTxnIds.contains(txnId)) {
                return ok();
            }
        } finally {
            lock.unlock();
        }
        AppServiceTransaction transaction = new AppServiceTransaction(txnId, body);
        try {
            // outside the lock: the handler may call the homeserver, which may push again
            handler.accept(transaction);
        } catch (RuntimeException e) {
            return error(500, "M_UNKNOWN", "the transaction handler failed: " + e);
        }
        lock.lock();
        try {
            if (seenTxnIds.add(txnId)) {
                transactions.add(transaction);
                received.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return ok();
    }

    /**
     * Waits for the next transaction this test has not awaited yet, and returns it. Each
     * transaction is returned once, in the order received.
     *
     * @param timeout how long to wait: real time, or the homeserver's clock time when attached
     *     to a fake clock (see the class description)
     * @throws AssertionError if none arrives in time
     */
    public AppServiceTransaction awaitTransaction(Duration timeout) {
        return await(
                timeout,
                () -> consumed < transactions.size() ? Optional.of(transactions.get(consumed++)) : Optional.empty(),
                () -> "application service " + registration.id() + " received no transaction within " + timeout + " ("
                        + transactions.size() + " received before)");
    }

    /**
     * Waits until a received room event satisfies {@code condition} (looking at every
     * transaction, awaited or not), and returns the first such event.
     *
     * @throws AssertionError if none does in time; the message lists the events received
     */
    public ClientEvent awaitEvent(Predicate<ClientEvent> condition, Duration timeout) {
        return await(
                timeout,
                () -> first(AppServiceTransaction::events, condition),
                () -> "application service " + registration.id() + " received no matching event within " + timeout
                        + "; events received: " + describe(AppServiceTransaction::events));
    }

    /**
     * Waits until a received ephemeral event (typing, receipt, presence; sent to services whose
     * registration has {@code receive_ephemeral}) satisfies {@code condition}, and returns the
     * first such event.
     *
     * @throws AssertionError if none does in time; the message lists the ephemeral events received
     */
    public ClientEvent awaitEphemeral(Predicate<ClientEvent> condition, Duration timeout) {
        return await(
                timeout,
                () -> first(AppServiceTransaction::ephemeral, condition),
                () -> "application service " + registration.id() + " received no matching ephemeral event within "
                        + timeout + "; ephemeral events received: " + describe(AppServiceTransaction::ephemeral));
    }

    /**
     * Like {@link #awaitEvent}, but waits at most {@code realTimeout} of real time and never moves
     * the homeserver's clock.
     *
     * @throws AssertionError if no event matches in time; the message lists the events received
     */
    public ClientEvent awaitEventInRealTime(Predicate<ClientEvent> condition, Duration realTimeout) {
        return inRealTime(realTimeout, 0, condition)
                .orElseThrow(() -> new AssertionError("application service " + registration.id()
                        + " received no matching event within " + realTimeout + " of real time; events received: "
                        + describe(AppServiceTransaction::events)));
    }

    /**
     * Asserts that no room event that {@code condition} accepts arrives in a transaction during
     * {@code realTime} of real time (events received before the call are not looked at), without
     * moving the homeserver's clock; fails at the first that does. It costs {@code realTime}.
     */
    public void assertNoEvent(Predicate<ClientEvent> condition, Duration realTime) {
        int before = transactions().size();
        inRealTime(realTime, before, condition).ifPresent(event -> {
            throw new AssertionError("application service " + registration.id() + " received a matching event within "
                    + realTime + ", where none should arrive: " + event);
        });
    }

    /** The first matching room event of the transactions from index {@code from} on, waiting in real time. */
    private Optional<ClientEvent> inRealTime(Duration realTime, int from, Predicate<ClientEvent> condition) {
        long deadline = System.nanoTime() + realTime.toNanos();
        lock.lock();
        try {
            while (true) {
                for (AppServiceTransaction transaction : transactions.subList(from, transactions.size())) {
                    Optional<ClientEvent> match =
                            transaction.events().stream().filter(condition).findFirst();
                    if (match.isPresent()) {
                        return match;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                received.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for application service " + registration.id(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The first event of {@code part} of any transaction that {@code condition} accepts; under the lock. */
    private Optional<ClientEvent> first(
            Function<AppServiceTransaction, List<ClientEvent>> part, Predicate<ClientEvent> condition) {
        for (AppServiceTransaction transaction : transactions) {
            for (ClientEvent event : part.apply(transaction)) {
                if (condition.test(event)) {
                    return Optional.of(event);
                }
            }
        }
        return Optional.empty();
    }

    private String describe(Function<AppServiceTransaction, List<ClientEvent>> part) {
        return transactions.stream()
                .flatMap(t -> part.apply(t).stream())
                .map(ClientEvent::json)
                .toList()
                .toString();
    }

    /**
     * Polls {@code probe} (under the lock) until it finds something. On a fake clock, each step
     * that ends without news advances the clock, as a homeserver's timers would fire while a real
     * service waited.
     */
    private <T> T await(Duration timeout, Supplier<Optional<T>> probe, Supplier<String> failure) {
        Optional<FakeClock> fake = clock;
        long realStart = System.nanoTime();
        long clockStart = fake.map(FakeClock::monotonicNanos).orElse(0L);
        Duration step = timeout.dividedBy(STEPS_PER_WAIT).compareTo(CLOCK_STEP) > 0
                ? timeout.dividedBy(STEPS_PER_WAIT)
                : CLOCK_STEP;
        while (true) {
            lock.lock();
            try {
                Optional<T> found = probe.get();
                if (found.isPresent()) {
                    return found.get();
                }
                long realWaited = System.nanoTime() - realStart;
                boolean expired = fake.isEmpty()
                        ? realWaited >= timeout.toNanos()
                        : fake.get().monotonicNanos() - clockStart >= timeout.toNanos()
                                && realWaited >= REAL_TIME_PATIENCE.toNanos();
                if (expired) {
                    throw new AssertionError(failure.get());
                }
                long wait = fake.isEmpty() ? timeout.toNanos() - realWaited : GRACE.toNanos();
                if (received.awaitNanos(wait) > 0) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for application service " + registration.id(), e);
            } finally {
                lock.unlock();
            }
            // outside the lock: the timers this wakes may deliver to this service
            fake.ifPresent(c -> {
                if (c.monotonicNanos() - clockStart < timeout.toNanos()) {
                    c.advance(step);
                }
            });
        }
    }

    /** Every transaction received, in order. */
    public List<AppServiceTransaction> transactions() {
        lock.lock();
        try {
            return List.copyOf(transactions);
        } finally {
            lock.unlock();
        }
    }

    /** Every room event of every transaction received, in order. */
    public List<ClientEvent> events() {
        return transactions().stream().flatMap(t -> t.events().stream()).toList();
    }

    /** Every ephemeral event of every transaction received, in order. */
    public List<ClientEvent> ephemeral() {
        return transactions().stream().flatMap(t -> t.ephemeral().stream()).toList();
    }

    /** The user ids the homeserver asked about, in order. */
    public List<String> userQueries() {
        return List.copyOf(userQueries);
    }

    /** The room aliases the homeserver asked about, in order. */
    public List<String> aliasQueries() {
        return List.copyOf(aliasQueries);
    }

    private static Optional<String> token(OutboundRequest request) {
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Authorization")) {
                for (String value : header.getValue()) {
                    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                        return Optional.of(value.substring(7).trim());
                    }
                }
            }
        }
        String query = request.uri().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("access_token=")) {
                    return Optional.of(decode(pair.substring("access_token=".length())));
                }
            }
        }
        return Optional.empty();
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static OutboundResponse ok() {
        return json(200, "{}");
    }

    private static OutboundResponse error(int status, String errcode, String message) {
        return json(
                status,
                JSON.createObjectNode()
                        .put("errcode", errcode)
                        .put("error", message)
                        .toString());
    }

    private static OutboundResponse json(int status, String body) {
        return new OutboundResponse(
                status, Map.of("content-type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "TestAppService[" + registration.id() + ", " + transactions().size() + " transactions]";
    }
}
