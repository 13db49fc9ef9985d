package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One event as a client receives it (the spec's {@code ClientEvent} format: from {@code /sync},
 * {@code /messages} or an application-service transaction), with typed accessors for the fields
 * tests look at most. {@link #json()} is the whole event.
 *
 * @param json the event object as received
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-event-format">Room event format</a>
 */
public record ClientEvent(JsonNode json) {

    /** Requires a JSON object. */
    public ClientEvent {
        Objects.requireNonNull(json, "json");
        if (!json.isObject()) {
            throw new IllegalArgumentException("an event is a JSON object, not " + json);
        }
    }

    /** The {@code event_id}, or empty for events without one (stripped state, ephemeral events). */
    public Optional<String> eventId() {
        return text("event_id");
    }

    /** The event {@code type}, e.g. {@code m.room.message}. */
    public String type() {
        return json.path("type").asText("");
    }

    /** The {@code sender}'s user id. */
    public String sender() {
        return json.path("sender").asText("");
    }

    /** The {@code room_id}; {@code /sync} omits it, since the room is the key the event is under. */
    public Optional<String> roomId() {
        return text("room_id");
    }

    /** The {@code state_key}; present exactly when this is a state event. */
    public Optional<String> stateKey() {
        return text("state_key");
    }

    /** Whether this is a state event (it has a {@code state_key}, possibly empty). */
    public boolean isState() {
        return json.has("state_key");
    }

    /** The {@code content} object, or a missing node (whose fields are all missing) if absent. */
    public JsonNode content() {
        return json.path("content");
    }

    /** {@code content.body} of a message, if it has one. */
    public Optional<String> body() {
        JsonNode body = content().path("body");
        return body.isTextual() ? Optional.of(body.asText()) : Optional.empty();
    }

    /** {@code content.msgtype} of a message, if it has one. */
    public Optional<String> msgtype() {
        JsonNode type = content().path("msgtype");
        return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
    }

    /** {@code content.membership} of an {@code m.room.member} event, if present. */
    public Optional<String> membership() {
        JsonNode membership = content().path("membership");
        return membership.isTextual() ? Optional.of(membership.asText()) : Optional.empty();
    }

    /**
     * The membership before this {@code m.room.member} event ({@code unsigned.prev_content.membership}),
     * if the server sent it: absent for a user's first membership in the room.
     */
    public Optional<String> prevMembership() {
        JsonNode membership = json.path("unsigned").path("prev_content").path("membership");
        return membership.isTextual() ? Optional.of(membership.asText()) : Optional.empty();
    }

    /** Whether this is an {@code m.room.message} whose body equals {@code text}. */
    public boolean isMessage(String text) {
        return type().equals("m.room.message") && body().filter(text::equals).isPresent();
    }

    /**
     * Whether this is the {@code m.room.member} event that gives {@code userId} the membership
     * {@code membership} ({@code "join"}, {@code "invite"}, {@code "leave"}, ...).
     */
    public boolean isMembership(String userId, String membership) {
        return type().equals("m.room.member")
                && stateKey().filter(userId::equals).isPresent()
                && membership().filter(membership::equals).isPresent();
    }

    private Optional<String> text(String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
