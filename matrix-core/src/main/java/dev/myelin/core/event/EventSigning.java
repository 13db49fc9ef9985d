package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import java.util.Map;

/**
 * Hashing and signing an outgoing event: the content hash goes into {@code hashes.sha256}, then
 * the <em>redacted</em> event is signed, so the signature still checks after a redaction, and the
 * signature is copied back into the full event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#adding-hashes-and-signatures-to-outgoing-events">Signing events</a>
 */
public final class EventSigning {
    private EventSigning() {}

    /**
     * A copy of {@code event} with its content hash and {@code server}'s signature by {@code key}
     * added; other servers' signatures and {@code unsigned} are kept.
     */
    public static ObjectNode hashAndSign(ObjectNode event, RoomVersion version, ServerName server, SigningKey key) {
        ObjectNode hashed = EventHashes.withContentHash(event);
        return sign(hashed, version, server, key);
    }

    /**
     * A copy of {@code event} with {@code server}'s signature over its redacted form added,
     * without touching {@code hashes}. Used to add a second signature (for example a resident
     * server's on a join) to an event that is already hashed.
     */
    public static ObjectNode sign(ObjectNode event, RoomVersion version, ServerName server, SigningKey key) {
        ObjectNode signedRedacted = JsonSigning.sign(Redaction.redact(event, version), server, key);
        ObjectNode result = event.deepCopy();
        JsonNode existing = result.get("signatures");
        ObjectNode signatures = existing instanceof ObjectNode object ? object : result.putObject("signatures");
        for (Map.Entry<String, JsonNode> entity :
                signedRedacted.path("signatures").properties()) {
            JsonNode mine = signatures.get(entity.getKey());
            ObjectNode target = mine instanceof ObjectNode object ? object : signatures.putObject(entity.getKey());
            target.setAll((ObjectNode) entity.getValue());
        }
        return result;
    }
}
