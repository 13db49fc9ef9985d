package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomAlias;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of {@code m.room.canonical_alias}, read leniently: entries that are not valid
 * aliases are dropped.
 *
 * @param alias the canonical alias, empty when absent, null, empty or invalid
 * @param altAliases alternative aliases, in order
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomcanonical_alias">m.room.canonical_alias</a>
 */
public record CanonicalAliasContent(Optional<RoomAlias> alias, List<RoomAlias> altAliases) {
    /** Copies the lists, so the value cannot change. */
    public CanonicalAliasContent {
        altAliases = List.copyOf(altAliases);
    }

    /**
     * Reads {@code m.room.canonical_alias} content leniently: invalid aliases are dropped.
     *
     * @param content the event content
     * @return the aliases
     */
    public static CanonicalAliasContent from(ObjectNode content) {
        List<RoomAlias> alt = new ArrayList<>();
        JsonNode array = content.get("alt_aliases");
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                if (item.isTextual() && RoomAlias.isValid(item.textValue())) {
                    alt.add(RoomAlias.parse(item.textValue()));
                }
            }
        }
        return new CanonicalAliasContent(
                Json.text(content, "alias").filter(RoomAlias::isValid).map(RoomAlias::parse), alt);
    }
}
