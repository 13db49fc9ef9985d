package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.room.RoomAliasStore;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a local user's new {@code m.room.canonical_alias} content: every alias it adds must be
 * well formed (else 400 {@code M_INVALID_PARAM}) and point to the room (else 400 {@code
 * M_BAD_ALIAS}). As Synapse does, only what changes is checked, so content that still names an
 * alias deleted since can be sent again, and room upgrades and alias deletions can rewrite it.
 * Aliases of other servers cannot be looked up without federation, so they cannot be shown to
 * point here and are refused too.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidstateeventtypestatekey">spec</a>
 */
public final class CanonicalAliasCheck {
    /** The event type this check is for. */
    public static final String TYPE = "m.room.canonical_alias";

    private final RoomAliasStore aliases;

    public CanonicalAliasCheck(RoomAliasStore aliases) {
        this.aliases = aliases;
    }

    /**
     * Checks {@code content} as the new canonical alias content of {@code room}, which had {@code
     * previous} (an empty object when it had none).
     */
    public void check(RoomId room, ObjectNode previous, ObjectNode content) {
        JsonNode alias = content.get("alias");
        if (alias != null && !alias.isNull() && !alias.equals(previous.get("alias"))) {
            if (!alias.isTextual()) {
                throw MatrixException.invalidParam("alias", "must be a room alias");
            }
            requirePointsTo(room, "alias", alias.asText());
        }
        JsonNode alt = content.get("alt_aliases");
        if (alt == null) {
            return;
        }
        if (!alt.isArray()) {
            throw MatrixException.invalidParam("alt_aliases", "must be a list of room aliases");
        }
        Set<JsonNode> known = new HashSet<>();
        if (previous.get("alt_aliases") instanceof JsonNode old && old.isArray()) {
            old.forEach(known::add);
        }
        for (JsonNode entry : alt) {
            if (known.contains(entry)) {
                continue;
            }
            if (!entry.isTextual()) {
                throw MatrixException.invalidParam("alt_aliases", "must be a list of room aliases");
            }
            requirePointsTo(room, "alt_aliases", entry.asText());
        }
    }

    private void requirePointsTo(RoomId room, String field, String value) {
        RoomAlias alias;
        try {
            alias = RoomAlias.parse(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam(field, "'" + value + "' is not a room alias");
        }
        if (!aliases.resolve(alias).filter(room::equals).isPresent()) {
            throw new MatrixException(
                    400, ErrorCode.BAD_ALIAS, "The alias '" + alias + "' does not point to this room.");
        }
    }
}
