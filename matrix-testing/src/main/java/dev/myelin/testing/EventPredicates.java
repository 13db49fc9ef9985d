package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * Ready-made conditions for {@link TestClient#awaitEvent}, {@link TestClient#assertNoEvent} and
 * friends, and for filtering {@link SyncResponse} lists. With a static import:
 *
 * <pre>{@code
 * alice.invite(room, bot.userId()).expect(200);
 * alice.awaitEvent(room, joined(bot.userId()));
 * alice.assertNoEvent(room, messageFrom(bot.userId()), Duration.ofMillis(300));
 * }</pre>
 *
 * <p>The membership conditions look at the {@code m.room.member} event whose state key is the user;
 * {@link #joined} and {@link #left} also look at the membership before it (its {@code unsigned}
 * {@code prev_content}), so that a display name change, a join after a join, is not taken for a
 * join.
 */
public final class EventPredicates {
    private EventPredicates() {}

    /** {@code userId} joined: their membership became {@code join} (a profile change does not count). */
    public static Predicate<ClientEvent> joined(String userId) {
        return e -> e.isMembership(userId, "join")
                && e.prevMembership().filter("join"::equals).isEmpty();
    }

    /** {@code userId} was invited. */
    public static Predicate<ClientEvent> invited(String userId) {
        return e -> e.isMembership(userId, "invite");
    }

    /**
     * {@code userId}'s membership became {@code leave}: they left, rejected or had an invite
     * withdrawn, or were kicked (see {@link #kicked}).
     */
    public static Predicate<ClientEvent> left(String userId) {
        return e -> e.isMembership(userId, "leave");
    }

    /** {@code userId} was kicked: their membership became {@code leave} by someone else's event. */
    public static Predicate<ClientEvent> kicked(String userId) {
        return e -> e.isMembership(userId, "leave")
                && !e.sender().equals(userId)
                && e.prevMembership().filter("join"::equals).isPresent();
    }

    /** {@code userId} was banned. */
    public static Predicate<ClientEvent> banned(String userId) {
        return e -> e.isMembership(userId, "ban");
    }

    /** {@code userId} knocked. */
    public static Predicate<ClientEvent> knocked(String userId) {
        return e -> e.isMembership(userId, "knock");
    }

    /** An {@code m.room.message} whose body is exactly {@code text}. */
    public static Predicate<ClientEvent> message(String text) {
        return e -> e.isMessage(text);
    }

    /** An {@code m.room.message} whose body contains {@code text}. */
    public static Predicate<ClientEvent> messageContaining(String text) {
        return e -> e.type().equals("m.room.message")
                && e.body().filter(b -> b.contains(text)).isPresent();
    }

    /** An {@code m.room.message} sent by {@code userId}. */
    public static Predicate<ClientEvent> messageFrom(String userId) {
        return e -> e.type().equals("m.room.message") && e.sender().equals(userId);
    }

    /** An event of {@code type}. */
    public static Predicate<ClientEvent> ofType(String type) {
        return e -> e.type().equals(type);
    }

    /** A state event of {@code type} with {@code stateKey}. */
    public static Predicate<ClientEvent> state(String type, String stateKey) {
        return e ->
                e.type().equals(type) && e.stateKey().filter(stateKey::equals).isPresent();
    }

    /** An {@code m.typing} event (from {@link SyncResponse#ephemeral}) that lists {@code userId} as typing. */
    public static Predicate<ClientEvent> typing(String userId) {
        return e -> e.type().equals("m.typing") && contains(e.content().path("user_ids"), userId);
    }

    /**
     * An {@code m.receipt} event (from {@link SyncResponse#ephemeral}) with a receipt of {@code
     * userId} for {@code eventId}, of any receipt type.
     */
    public static Predicate<ClientEvent> receipt(String userId, String eventId) {
        return e -> {
            if (!e.type().equals("m.receipt")) {
                return false;
            }
            for (JsonNode byUser : e.content().path(eventId)) {
                if (byUser.has(userId)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** An {@code m.presence} event (from {@link SyncResponse#presence()}) of {@code userId} in {@code state}. */
    public static Predicate<ClientEvent> presence(String userId, String state) {
        return e -> e.type().equals("m.presence")
                && e.sender().equals(userId)
                && state.equals(e.content().path("presence").asText());
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
