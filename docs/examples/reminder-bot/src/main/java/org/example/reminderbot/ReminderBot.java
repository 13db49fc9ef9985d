package org.example.reminderbot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Matrix bot that joins every room it is invited to and answers {@code !remind 10m stretch}
 * with {@code Reminder set for <time>: stretch}, then, when the time comes, posts {@code Reminder:
 * stretch} in the room. It speaks the plain Client-Server API over the JDK's {@link HttpClient},
 * keeps its reminders in memory, and takes its time from a {@link BotClock}; a {@code 429} answer
 * is retried after the {@code retry_after_ms} the server asked for, on that clock.
 *
 * <pre>{@code
 * try (ReminderBot bot = ReminderBot.start(URI.create("https://matrix.example.org"), "reminder", password,
 *         BotClock.system())) {
 *     bot.awaitStop();
 * }
 * }</pre>
 */
public final class ReminderBot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMAND = Pattern.compile("!remind (\\d{1,6})([smhd]) (.+)");
    /** How long one /sync waits for news on the server (in the server's time). */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** A request that takes longer than this in real time has failed. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    private static final int SEND_ATTEMPTS = 5;

    private final URI homeserver;
    private final HttpClient http;
    private final String accessToken;
    private final String userId;
    private final BotClock clock;
    private final AtomicLong txn = new AtomicLong();
    private final Thread loop;
    private final Set<Thread> reminders = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    private ReminderBot(URI homeserver, HttpClient http, String accessToken, String userId, BotClock clock) {
        this.homeserver = homeserver;
        this.http = http;
        this.accessToken = accessToken;
        this.userId = userId;
        this.clock = clock;
        this.loop = Thread.ofVirtual().name("reminder-bot " + userId).unstarted(this::run);
    }

    /**
     * Logs in as {@code user} with {@code password} and starts listening. Commands sent before the
     * bot started are not answered.
     *
     * @throws IOException if the login fails
     */
    public static ReminderBot start(URI homeserver, String user, String password, BotClock clock)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectNode login = JSON.createObjectNode().put("type", "m.login.password").put("password", password);
        login.putObject("identifier").put("type", "m.id.user").put("user", user);
        HttpResponse<String> session = http.send(
                request(homeserver.resolve("/_matrix/client/v3/login"), null)
                        .POST(HttpRequest.BodyPublishers.ofString(login.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = ok(session);
        ReminderBot bot = new ReminderBot(
                homeserver, http, body.get("access_token").asText(), body.get("user_id").asText(), clock);
        bot.loop.start();
        return bot;
    }

    /** The bot's user id. */
    public String userId() {
        return userId;
    }

    private void run() {
        String since = null;
        while (running) {
            try {
                // the first sync only finds the position: old commands are not answered
                String path = "/_matrix/client/v3/sync?timeout=" + (since == null ? 0 : SYNC_TIMEOUT.toMillis())
                        + (since == null ? "" : "&since=" + encode(since));
                JsonNode sync = ok(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
                joinInvites(sync.path("rooms"));
                if (since != null) {
                    readCommands(sync.path("rooms"));
                }
                since = sync.path("next_batch").asText();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("reminder-bot: " + e.getMessage() + "; retrying");
                try {
                    clock.sleepUntil(clock.now().plus(RETRY_DELAY));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void joinInvites(JsonNode rooms) throws IOException, InterruptedException {
        for (Iterator<String> it = rooms.path("invite").fieldNames(); it.hasNext(); ) {
            ok(http.send(
                    request("/_matrix/client/v3/join/" + encode(it.next()))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    private void readCommands(JsonNode rooms) throws IOException, InterruptedException {
        for (Iterator<Map.Entry<String, JsonNode>> it = rooms.path("join").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> room = it.next();
            for (JsonNode event : room.getValue().path("timeline").path("events")) {
                Matcher command = COMMAND.matcher(event.path("content").path("body").asText());
                if (event.path("type").asText().equals("m.room.message")
                        && !event.path("sender").asText().equals(userId)
                        && command.matches()) {
                    schedule(room.getKey(), command);
                }
            }
        }
    }

    /** Starts the reminder's own timer, then confirms: the timer is running before anyone reads the answer. */
    private void schedule(String roomId, Matcher command) throws IOException, InterruptedException {
        ChronoUnit unit = switch (command.group(2)) {
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        Instant due = clock.now().plus(Long.parseLong(command.group(1)), unit);
        String text = command.group(3);
        Thread reminder = Thread.ofVirtual().name("reminder " + due).unstarted(() -> {
            try {
                clock.sleepUntil(due);
                say(roomId, "Reminder: " + text);
            } catch (InterruptedException e) {
                // the bot is stopping
            } catch (IOException e) {
                System.err.println("reminder-bot: could not post a reminder: " + e.getMessage());
            } finally {
                reminders.remove(Thread.currentThread());
            }
        });
        reminders.add(reminder);
        reminder.start();
        say(roomId, "Reminder set for " + due + ": " + text);
    }

    /** Sends a text message; a 429 is retried after the delay the server asks for, with the same transaction id. */
    private void say(String roomId, String text) throws IOException, InterruptedException {
        ObjectNode content = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
        String path = "/_matrix/client/v3/rooms/" + encode(roomId) + "/send/m.room.message/r" + txn.incrementAndGet();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(
                    request(path).PUT(HttpRequest.BodyPublishers.ofString(content.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429 || attempt == SEND_ATTEMPTS) {
                ok(response);
                return;
            }
            long retryAfterMs = JSON.readTree(response.body()).path("retry_after_ms").asLong(RETRY_DELAY.toMillis());
            clock.sleepUntil(clock.now().plusMillis(retryAfterMs));
        }
    }

    private HttpRequest.Builder request(String path) {
        return request(homeserver.resolve(path), accessToken);
    }

    private static HttpRequest.Builder request(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .timeout(REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException(response.request().method() + " " + response.uri().getPath() + " failed: HTTP "
                    + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Blocks until the bot stops, which only {@link #close()} (from another thread) makes it do. */
    public void awaitStop() throws InterruptedException {
        loop.join();
    }

    /** Stops syncing, drops the pending reminders and waits for the loop to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.interrupt();
        reminders.forEach(Thread::interrupt);
        loop.join(Duration.ofSeconds(10));
        // ends a long-poll still in flight, which on a test's clock would otherwise never return
        http.shutdownNow();
    }
}
