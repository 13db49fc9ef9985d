package dev.myelin.testing;

import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link ClientEvent}; get one from {@link MatrixAssertions#assertThat(ClientEvent)}.
 * Failures print the whole event.
 */
public final class ClientEventAssert extends AbstractAssert<ClientEventAssert, ClientEvent> {

    ClientEventAssert(ClientEvent actual) {
        super(actual, ClientEventAssert.class);
    }

    /** The event's {@code type} is {@code type}. */
    public ClientEventAssert hasType(String type) {
        isNotNull();
        if (!actual.type().equals(type)) {
            failWithMessage("expected an event of type <%s> but was <%s>: %s", type, actual.type(), actual);
        }
        return this;
    }

    /** The event was sent by {@code userId}. */
    public ClientEventAssert hasSender(String userId) {
        isNotNull();
        if (!actual.sender().equals(userId)) {
            failWithMessage("expected an event from <%s> but the sender was <%s>: %s", userId, actual.sender(), actual);
        }
        return this;
    }

    /** {@code content.body} is exactly {@code body}. */
    public ClientEventAssert hasBody(String body) {
        isNotNull();
        if (!actual.body().filter(body::equals).isPresent()) {
            failWithMessage(
                    "expected body <%s> but was <%s>: %s", body, actual.body().orElse("(none)"), actual);
        }
        return this;
    }

    /** An {@code m.room.message} with {@code msgtype} {@code m.text} and this body. */
    public ClientEventAssert isTextMessage(String body) {
        hasType("m.room.message");
        if (!actual.msgtype().filter("m.text"::equals).isPresent()) {
            failWithMessage(
                    "expected msgtype <m.text> but was <%s>: %s",
                    actual.msgtype().orElse("(none)"), actual);
        }
        return hasBody(body);
    }

    /** {@code content.<field>} is the string {@code value}. */
    public ClientEventAssert hasContent(String field, String value) {
        isNotNull();
        var node = actual.content().get(field);
        if (node == null || !node.isTextual() || !node.asText().equals(value)) {
            failWithMessage("expected content.%s to be <%s> but was <%s>: %s", field, value, node, actual);
        }
        return this;
    }

    /** A state event with this {@code state_key} (use {@code ""} for room-wide state). */
    public ClientEventAssert hasStateKey(String stateKey) {
        isNotNull();
        if (!actual.stateKey().filter(stateKey::equals).isPresent()) {
            failWithMessage(
                    "expected state_key <%s> but was <%s>: %s",
                    stateKey, actual.stateKey().orElse("(not a state event)"), actual);
        }
        return this;
    }

    /** An {@code m.room.member} event for {@code userId} with this {@code membership}. */
    public ClientEventAssert isMembership(String userId, String membership) {
        hasType("m.room.member");
        hasStateKey(userId);
        if (!actual.membership().filter(membership::equals).isPresent()) {
            failWithMessage(
                    "expected membership <%s> but was <%s>: %s",
                    membership, actual.membership().orElse("(none)"), actual);
        }
        return this;
    }

    /** The event has this {@code event_id}. */
    public ClientEventAssert hasEventId(String eventId) {
        isNotNull();
        if (!actual.eventId().filter(id -> Objects.equals(id, eventId)).isPresent()) {
            failWithMessage(
                    "expected event id <%s> but was <%s>: %s",
                    eventId, actual.eventId().orElse("(none)"), actual);
        }
        return this;
    }
}
