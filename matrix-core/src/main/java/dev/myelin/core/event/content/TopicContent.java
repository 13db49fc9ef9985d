package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The content of {@code m.room.topic}.
 *
 * @param topic the plain-text topic; empty when absent, not a string, or the empty string
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomtopic">m.room.topic</a>
 */
public record TopicContent(Optional<String> topic) {
    /**
     * Reads {@code m.room.topic} content; a non-string topic reads as absent.
     *
     * @param content the event content
     * @return the topic
     */
    public static TopicContent from(ObjectNode content) {
        return new TopicContent(Json.text(content, "topic").filter(t -> !t.isEmpty()));
    }
}
