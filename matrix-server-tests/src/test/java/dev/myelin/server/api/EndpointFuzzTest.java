package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.HomeserverPerClass;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives every endpoint registered on the homeserver's router with malformed path parameters,
 * query parameters, bodies and credentials generated from its {@link EndpointSpec}, and fails on
 * any 5xx answer, or on a 4xx answer that is not a Matrix error. Bad input must never be a server
 * error, and a newly registered endpoint is fuzzed without being listed here.
 *
 * <p>The inputs come from a seeded {@link Random} (set {@code -Dmyelin.fuzz.seed=N} to replay a
 * run; each endpoint's cases depend only on the seed and its method and path, so adding an
 * endpoint does not change the others' cases). The cases go round-robin over the endpoints until
 * {@link #CASES_PER_ENDPOINT} or the {@link #TIME_BUDGET} is reached, so a slow machine fuzzes
 * every endpoint a little less rather than some endpoints not at all.
 */
@ExtendWith(HomeserverExtension.class)
@HomeserverPerClass
@OverrideConfig(key = "rc_message", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_registration", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(
        key = "rc_login",
        value = "{address: " + EndpointFuzzTest.UNLIMITED + ", account: " + EndpointFuzzTest.UNLIMITED
                + ", failed_attempts: " + EndpointFuzzTest.UNLIMITED + "}")
@OverrideConfig(
        key = "rc_joins",
        value = "{local: " + EndpointFuzzTest.UNLIMITED + ", remote: " + EndpointFuzzTest.UNLIMITED + "}")
@OverrideConfig(
        key = "rc_invites",
        value = "{per_room: " + EndpointFuzzTest.UNLIMITED + ", per_user: " + EndpointFuzzTest.UNLIMITED
                + ", per_issuer: " + EndpointFuzzTest.UNLIMITED + "}")
@OverrideConfig(key = "rc_media_create", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_reports", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_key_requests", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_presence", value = "{per_user: " + EndpointFuzzTest.UNLIMITED + "}")
@OverrideConfig(key = "rc_3pid_validation", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_admin_redaction", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_delayed_event_mgmt", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_room_creation", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_to_device", value = EndpointFuzzTest.UNLIMITED)
@OverrideConfig(key = "rc_typing", value = EndpointFuzzTest.UNLIMITED)
class EndpointFuzzTest {
    static final String UNLIMITED = "{per_second: 1000000, burst_count: 1000000}";

    private static final long SEED = Long.getLong("myelin.fuzz.seed", 0x5EED_2026_1204L);
    private static final int CASES_PER_ENDPOINT = Integer.getInteger("myelin.fuzz.cases", 30);
    /** Well under a minute on two shared cores; the cases stop here, evenly spread. */
    private static final Duration TIME_BUDGET = Duration.ofSeconds(35);
    /** A request that has not answered after this much wall time, while fake time races ahead, hangs. */
    private static final Duration HANG = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * 5xx answers whose fix is on its way from another change, each named with the issue item
     * that removes it; empty while every known cause is fixed. Nothing else may answer 5xx.
     */
    private static final List<KnownServerError> KNOWN_SERVER_ERRORS_FIXED_ELSEWHERE = List.of();

    /**
     * A 5xx answer that a fix elsewhere removes: endpoints whose method and template start with
     * {@code endpointPrefix}, and inputs (query and body) where {@code input} is found.
     */
    record KnownServerError(String issueItem, String endpointPrefix, Pattern input) {
        KnownServerError(String issueItem, String endpointPrefix, String input) {
            this(issueItem, endpointPrefix, Pattern.compile(input));
        }

        boolean matches(FuzzCase c) {
            return (c.endpoint().method() + " " + c.endpoint().path()).startsWith(endpointPrefix)
                    && input.matcher(c.query() + " " + c.body()).find();
        }
    }

    /** One request: the endpoint, what was broken, and what was sent. */
    record FuzzCase(
            EndpointSpec<?, ?> endpoint, String mutation, String path, String query, String token, String body) {
        String describe() {
            String shownBody = body == null ? "(none)" : abbreviate(body);
            return endpoint.method() + " " + abbreviate(path + query) + " token=" + token + " body=" + shownBody + " ["
                    + mutation + "]";
        }
    }

    @Test
    void noEndpointAnswersAServerErrorToMalformedInput(TestHomeserver hs) throws Exception {
        FuzzFixture fixture = fixture(hs);
        List<EndpointSpec<?, ?>> specs = new ArrayList<>();
        for (Endpoint e : hs.homeserver().testSeam().endpoints()) {
            specs.add(e.spec());
        }
        specs.sort(Comparator.comparing((EndpointSpec<?, ?> s) -> s.path()).thenComparing(s -> s.method()));
        assertThat(specs).as("the router's endpoints").hasSizeGreaterThan(50);

        Map<EndpointSpec<?, ?>, Random> randoms = new LinkedHashMap<>();
        for (EndpointSpec<?, ?> spec : specs) {
            randoms.put(spec, new Random(SEED ^ (spec.method() + " " + spec.path()).hashCode()));
        }
        List<String> failures = new ArrayList<>();
        List<String> known = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        // a rate limit this class does not raise hides the code behind it; shown, not failed
        Map<String, Integer> rateLimited = new TreeMap<>();
        long start = System.nanoTime();
        int cases = 0;
        int rounds = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            roundRobin:
            for (int round = 0; round < CASES_PER_ENDPOINT; round++) {
                for (EndpointSpec<?, ?> spec : specs) {
                    if (Duration.ofNanos(System.nanoTime() - start).compareTo(TIME_BUDGET) > 0) {
                        break roundRobin;
                    }
                    FuzzCase c = generate(spec, round, fixture, randoms.get(spec));
                    TestResponse response = send(hs, executor, fixture, c);
                    cases++;
                    statuses.merge(response.status(), 1, Integer::sum);
                    if (response.status() == 429) {
                        rateLimited.merge(spec.method() + " " + spec.path(), 1, Integer::sum);
                    }
                    String problem = unreachableRemote(c, response) ? null : problem(response);
                    if (problem != null) {
                        String line = problem + ": " + c.describe() + " -> " + abbreviate(response.body());
                        if (response.status() >= 500
                                && KNOWN_SERVER_ERRORS_FIXED_ELSEWHERE.stream().anyMatch(k -> k.matches(c))) {
                            known.add(line);
                        } else {
                            failures.add(line);
                        }
                    }
                    fixture = repair(hs, fixture, c, response);
                }
                rounds++;
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.printf(
                "endpoint fuzz: seed %d, %d endpoints, %d rounds, %d cases in %d ms, statuses %s, %d known 5xx%n",
                SEED, specs.size(), rounds, cases, millis, statuses, known.size());
        known.forEach(k -> System.out.println("known (fixed elsewhere): " + k));
        rateLimited.forEach((endpoint, n) -> System.out.println("rate-limited " + n + "x: " + endpoint));
        assertThat(failures)
                .as("seed %d: requests answered with a server error or a non-Matrix error", SEED)
                .isEmpty();
    }

    /**
     * Whether this is the answer for another server that cannot be reached: 502 with a Matrix
     * error, as Synapse answers it. Not an error in handling the input: the fuzz names {@code
     * remote.example} as a server, which does not exist, and endpoints that fetch from the server
     * they are given (remote media) must say that it failed.
     */
    private static boolean unreachableRemote(FuzzCase c, TestResponse response) {
        return response.status() == 502
                && c.path().contains("/remote.example/")
                && response.json().path("errcode").isTextual();
    }

    /** Why this answer is wrong for bad input, or null when it is fine. */
    private static String problem(TestResponse response) {
        int status = response.status();
        if (status >= 500) {
            return "HTTP " + status;
        }
        if (status >= 400) {
            JsonNode json = response.json();
            // user-interactive auth answers 401 with its flows instead of an error
            boolean authFlows = status == 401 && json.path("flows").isArray();
            if (!json.isObject() || !(json.path("errcode").isTextual() || authFlows)) {
                return "HTTP " + status + " without a Matrix error";
            }
        }
        return null;
    }

    private static FuzzFixture fixture(TestHomeserver hs) {
        TestClient alice = hs.registerUser("fuzzalice");
        TestClient bob = hs.registerUser("fuzzbob");
        String room = alice.createRoom((com.fasterxml.jackson.databind.node.ObjectNode)
                json("{\"preset\":\"public_chat\",\"name\":\"fuzz\"}"));
        bob.join(room).expect(200);
        String event = alice.sendMessage(room, "hello");
        String alias = "#fuzz:" + hs.serverName();
        alice.put(
                        "/_matrix/client/v3/directory/room/" + TestClient.encode(alias),
                        json("{\"room_id\":\"" + room + "\"}"))
                .expect(200);
        String mxc = hs.request(
                        "POST",
                        "/_matrix/media/v3/upload?filename=a.txt",
                        "hello media",
                        alice.accessToken().orElseThrow())
                .expect(200)
                .json()
                .path("content_uri")
                .asText();
        String filterId = alice.post(
                        "/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/filter",
                        json("{\"room\":{\"timeline\":{\"limit\":5}}}"))
                .expect(200)
                .json()
                .path("filter_id")
                .asText();
        alice.put(
                        "/_matrix/client/v3/user/" + TestClient.encode(alice.userId())
                                + "/account_data/org.example.fuzz",
                        json("{\"a\":1}"))
                .expect(200);
        return new FuzzFixture(
                alice, bob, room, alias, event, hs.serverName(), mxc.substring(mxc.lastIndexOf('/') + 1), filterId);
    }

    /**
     * The case for {@code round}: the first rounds send the valid-looking request with alice's
     * token, none, bob's and a garbage one; later rounds break one thing at random.
     */
    private static FuzzCase generate(EndpointSpec<?, ?> spec, int round, FuzzFixture f, Random rnd) {
        List<String> names = spec.pathParamNames();
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = FuzzInputs.validPathValue(names.get(i), f, rnd);
        }
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> fields = FuzzInputs.validFields(spec, f, rnd);
        boolean hasBody = spec.requestBody() != NoBody.class;
        String body = hasBody ? (rnd.nextInt(3) == 0 ? "{}" : FuzzInputs.object(fields)) : null;
        String token = "alice";
        String mutation;
        int kind = round < 4 ? round : 4 + rnd.nextInt(7);
        switch (kind) {
            case 0 -> mutation = "valid-looking";
            case 1 -> {
                token = "none";
                mutation = "no token";
            }
            case 2 -> {
                token = "bob";
                mutation = "second user's token";
            }
            case 3 -> {
                token = "garbage";
                mutation = "unknown token";
            }
            case 4, 5 -> {
                if (values.length == 0) {
                    query.putAll(FuzzInputs.badQuery(rnd));
                    mutation = "query";
                } else {
                    int i = rnd.nextInt(values.length);
                    values[i] = FuzzInputs.badPathValue(f, rnd);
                    mutation = "path " + names.get(i);
                }
            }
            case 6 -> {
                query.putAll(FuzzInputs.badQuery(rnd));
                mutation = "query";
            }
            case 7 -> {
                body = FuzzInputs.badBody(rnd);
                mutation = "whole body";
            }
            case 8 -> {
                if (spec.requestBody().isRecord()) {
                    StringBuilder path = new StringBuilder();
                    body = FuzzInputs.bodyWithNestedField(spec, f, rnd, path);
                    mutation = "nested field " + path;
                } else {
                    body = FuzzInputs.badBody(rnd);
                    mutation = "whole body";
                }
            }
            default -> {
                List<String> recordFields = FuzzInputs.fieldNames(spec);
                String field = recordFields.isEmpty() || rnd.nextInt(4) == 0
                        ? FuzzInputs.pick(rnd, List.of("body", "content", "type", "user_id", "fuzz"))
                        : FuzzInputs.pick(rnd, recordFields);
                fields.put(field, FuzzInputs.badJsonValue(rnd));
                body = FuzzInputs.object(fields);
                mutation = "field " + field;
            }
        }
        if (rnd.nextInt(4) == 0 && kind >= 4) {
            query.putAll(FuzzInputs.badQuery(rnd));
        }
        // long-polls are answered by racing fake time ahead, but a zero timeout keeps most quick
        if (!query.containsKey("timeout") && spec.path().endsWith("/sync")) {
            query.put("timeout", "0");
        }
        return new FuzzCase(spec, mutation, spec.pathOf(values), queryString(query), token, body);
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        query.forEach((k, v) ->
                out.append(out.isEmpty() ? '?' : '&').append(k).append('=').append(EndpointSpec.encodeSegment(v)));
        return out.toString();
    }

    /**
     * Sends the case; a long-poll (or any wait on the clock) is released by moving the fake
     * clock ahead until it answers.
     */
    private static TestResponse send(TestHomeserver hs, ExecutorService executor, FuzzFixture f, FuzzCase c)
            throws InterruptedException {
        String token = switch (c.token()) {
            case "alice" -> f.alice().accessToken().orElseThrow();
            case "bob" -> f.bob().accessToken().orElseThrow();
            case "garbage" -> "syt_fuzz_not_a_token";
            default -> null;
        };
        Future<TestResponse> answer = executor.submit(() -> exchange(hs, c, token));
        long deadline = System.nanoTime() + HANG.toNanos();
        while (true) {
            try {
                return answer.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    answer.cancel(true);
                    throw new AssertionError("seed " + SEED + ": no answer within " + HANG + ": " + c.describe());
                }
                hs.clock().advance(Duration.ofMinutes(5));
            } catch (ExecutionException e) {
                throw new AssertionError("seed " + SEED + ": request failed: " + c.describe(), e.getCause());
            }
        }
    }

    /**
     * The raw HTTP/1.1 exchange through the in-memory connector, written by hand so that request
     * lines and bodies of any size reach the server (and its own limits answer them).
     */
    private static TestResponse exchange(TestHomeserver hs, FuzzCase c, String token) {
        StringBuilder head = new StringBuilder()
                .append(c.endpoint().method().name())
                .append(' ')
                .append(c.path())
                .append(c.query())
                .append(" HTTP/1.1\r\nHost: ")
                .append(hs.serverName())
                .append("\r\nConnection: close\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
        if (c.body() != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        String raw = new String(head.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                + new String(body, StandardCharsets.ISO_8859_1);
        String answer = hs.homeserver().http().localRequest(raw);
        HttpTester.Response parsed =
                HttpTester.parseResponse(ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1)));
        if (parsed == null) {
            return new TestResponse(599, Map.of(), "no HTTP response: " + abbreviate(answer));
        }
        byte[] content = parsed.getContentBytes() == null ? new byte[0] : parsed.getContentBytes();
        return new TestResponse(parsed.getStatus(), Map.of(), new String(content, StandardCharsets.UTF_8));
    }

    /**
     * Undoes what a fuzzed request that succeeded may have changed, so later cases still reach
     * deep code: a logout (log in again), a leave, kick or ban (join again), a deleted alias.
     */
    private static FuzzFixture repair(TestHomeserver hs, FuzzFixture f, FuzzCase c, TestResponse response) {
        boolean wrote = response.status() < 300 && c.endpoint().method() != HttpMethod.GET;
        boolean lostToken = response.status() == 401
                && !c.token().equals("none")
                && !c.token().equals("garbage");
        if (!wrote && !lostToken) {
            return f;
        }
        FuzzFixture repaired = f;
        if (!loggedIn(f.alice())) {
            repaired = repaired.withAlice(hs.login("fuzzalice", "password"));
        }
        if (!loggedIn(f.bob())) {
            repaired = repaired.withBob(hs.login("fuzzbob", "password"));
        }
        if (wrote) {
            repaired.alice().join(f.room());
            if (repaired.bob().join(f.room()).status() != 200) {
                repaired.alice()
                        .post(
                                "/_matrix/client/v3/rooms/" + TestClient.encode(f.room()) + "/unban",
                                json("{\"user_id\":\"" + repaired.bob().userId() + "\"}"));
                repaired.bob().join(f.room()).expect(200);
            }
            repaired.alice()
                    .put(
                            "/_matrix/client/v3/directory/room/" + TestClient.encode(f.alias()),
                            json("{\"room_id\":\"" + f.room() + "\"}"));
        }
        return repaired;
    }

    private static boolean loggedIn(TestClient client) {
        return client.get("/_matrix/client/v3/account/whoami").status() == 200;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
