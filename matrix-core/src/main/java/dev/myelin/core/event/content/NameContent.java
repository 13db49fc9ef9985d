package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The content of {@code m.room.name}.
 *
 * @param name the room name; empty when absent, not a string, or the empty string (which the
 *     spec treats as no name)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomname">m.room.name</a>
 */
public record NameContent(Optional<String> name) {
    /**
     * Reads {@code m.room.name} content; a non-string name reads as absent.
     *
     * @param content the event content
     * @return the name
     */
    public static NameContent from(ObjectNode content) {
        return new NameContent(Json.text(content, "name").filter(n -> !n.isEmpty()));
    }
}
