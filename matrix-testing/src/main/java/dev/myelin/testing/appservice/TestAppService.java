package dev.myelin.testing.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.ClientEvent;
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
import java.util.function.Predicate;

/**
 * An application service that lives in the test: it answers the Application Service API in
 * process, records every transaction the homeserver pushes, and lets the test wait for them and
 * assert on them, the way a bridge would see them.
 *
 * <pre>{@code
 * AppServiceRegistration registration = AppServiceRegistration.builder("irc")
 *         .senderLocalpart("ircbot")
 *         .exclusiveUsers("@irc_.*:test\\.local")
 *         .build();
 * TestAppService bridge = TestAppService.of(registration).answerUserQuery(registration::claimsUser);
 *
 * alice.sendMessage(room, "hello IRC");
 * ClientEvent relayed = bridge.awaitEvent(e -> e.isMessage("hello IRC"), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p><b>Wired to the homeserver once the Application Service API lands.</b> Myelin does not send
 * transactions to application services yet. When it does, the homeserver's outbound transport
 * will route requests for {@link AppServiceRegistration#url()} to {@link #send(OutboundRequest)}
 * (this class is an {@link HttpTransport} for that reason) and the test homeserver builder will
 * load the registration. Until then, tests exercise this receiver by sending it requests
 * themselves, as the homeserver will.
 *
 * <p>What it serves (authenticated with the registration's {@code hs_token}, as an
 * {@code Authorization: Bearer} header or the legacy {@code access_token} query parameter):
 * <ul>
 *   <li>{@code PUT /_matrix/app/v1/transactions/{txnId}}: recorded once per transaction id; a
 *       repeated id is acknowledged without being recorded again, as the spec requires;
 *   <li>{@code GET /_matrix/app/v1/users/{userId}} and {@code GET /_matrix/app/v1/rooms/{alias}}:
 *       200 when the test's predicate accepts the id ({@link #answerUserQuery},
 *       {@link #answerAliasQuery}), else 404 {@code M_NOT_FOUND};
 *   <li>{@code POST /_matrix/app/v1/ping}: 200.
 * </ul>
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/">Application Service API</a>
 */
public final class TestAppService implements HttpTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/_matrix/app/v1/";

    private final AppServiceRegistration registration;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition received = lock.newCondition();
    private final List<AppServiceTransaction> transactions = new ArrayList<>();
    private final Set<String> seenTxnIds = new HashSet<>();
    private final List<String> userQueries = new CopyOnWriteArrayList<>();
    private final List<String> aliasQueries = new CopyOnWriteArrayList<>();
    private int consumed;
    private int failuresLeft;
    private volatile Predicate<String> users = id -> false;
    private volatile Predicate<String> aliases = alias -> false;

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

    /** User queries are answered "exists" for the ids {@code exists} accepts. */
    public TestAppService answerUserQuery(Predicate<String> exists) {
        this.users = Objects.requireNonNull(exists, "exists");
        return this;
    }

    /** Room alias queries are answered "exists" for the aliases {@code exists} accepts. */
    public TestAppService answerAliasQuery(Predicate<String> exists) {
        this.aliases = Objects.requireNonNull(exists, "exists");
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
     * Handles one request as the application service's HTTP server would. Never throws for bad
     * input: answers with the status and Matrix error a real service would.
     */
    @Override
    public OutboundResponse send(OutboundRequest request) {
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
            if (seenTxnIds.add(txnId)) {
                transactions.add(new AppServiceTransaction(txnId, body));
                received.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return ok();
    }

    /**
     * Waits, for up to {@code timeout} of real time, for the next transaction this test has not
     * awaited yet, and returns it. Each transaction is returned once, in the order received.
     *
     * @throws AssertionError if none arrives in time
     */
    public AppServiceTransaction awaitTransaction(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (consumed >= transactions.size()) {
                if (remaining <= 0) {
                    throw new AssertionError(
                            "application service " + registration.id() + " received no transaction within " + timeout
                                    + " (" + transactions.size() + " received before)");
                }
                remaining = received.awaitNanos(remaining);
            }
            return transactions.get(consumed++);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a transaction", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, for up to {@code timeout} of real time, until a received room event satisfies
     * {@code condition} (looking at every transaction, awaited or not), and returns it.
     *
     * @throws AssertionError if none does in time; the message lists the events received
     */
    public ClientEvent awaitEvent(Predicate<ClientEvent> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int checked = 0;
            while (true) {
                for (; checked < transactions.size(); checked++) {
                    for (ClientEvent event : transactions.get(checked).events()) {
                        if (condition.test(event)) {
                            return event;
                        }
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("application service " + registration.id()
                            + " received no matching event within " + timeout + "; events received: " + events());
                }
                received.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for an event", e);
        } finally {
            lock.unlock();
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
