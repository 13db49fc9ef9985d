package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The content of {@code m.room.history_visibility}.
 *
 * @param historyVisibility the visibility; {@link HistoryVisibility#SHARED} when missing or unknown
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomhistory_visibility">m.room.history_visibility</a>
 */
public record HistoryVisibilityContent(HistoryVisibility historyVisibility) {
    /**
     * Reads {@code m.room.history_visibility} content; an unknown value is {@code shared}.
     *
     * @param content the event content
     * @return the visibility
     */
    public static HistoryVisibilityContent from(ObjectNode content) {
        return new HistoryVisibilityContent(
                HistoryVisibility.parse(Json.text(content, "history_visibility").orElse("")));
    }
}
