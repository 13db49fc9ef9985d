package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.id.EventId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.EventFormat;
import dev.myelin.core.room.RoomVersion;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two hashes of an event, and event ids derived from them.
 *
 * <p>The <em>content hash</em> covers the whole event except {@code unsigned}, {@code signatures}
 * and {@code hashes}; it is stored as {@code hashes.sha256} and tells a receiver whether it got the
 * full event or a redacted one. The <em>reference hash</em> covers the redacted event without
 * {@code signatures} and {@code unsigned}; from room version 3 it is the event id.
 *
 * <p>Events are hashed in their federation form: an event in a room version 3 or later must not
 * carry {@code event_id}, which would otherwise be hashed too.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#calculating-the-content-hash-for-an-event">Content hash</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#calculating-the-reference-hash-for-an-event">Reference hash</a>
 */
public final class EventHashes {
    private EventHashes() {}

    /** SHA-256 of the canonical JSON of {@code event} without unsigned, signatures and hashes. */
    public static byte[] contentHash(ObjectNode event) {
        ObjectNode stripped = event.deepCopy();
        stripped.remove("unsigned");
        stripped.remove("signatures");
        stripped.remove("hashes");
        return sha256(CanonicalJson.encode(stripped));
    }

    /** A copy of {@code event} whose {@code hashes} is {@code {"sha256": <content hash>}}. */
    public static ObjectNode withContentHash(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.putObject("hashes").put("sha256", UnpaddedBase64.encode(contentHash(event)));
        return copy;
    }

    /**
     * True when {@code event}'s {@code hashes.sha256} is its content hash. False when it differs,
     * is missing or is not base64: the receiver then only has (or should only keep) the redacted
     * event.
     */
    public static boolean hasValidContentHash(ObjectNode event) {
        JsonNode claimed = event.path("hashes").get("sha256");
        if (claimed == null || !claimed.isTextual()) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = UnpaddedBase64.decode(claimed.textValue());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(decoded, contentHash(event));
    }

    /** As {@link #hasValidContentHash(ObjectNode)} for a PDU, in its federation form. */
    public static boolean hasValidContentHash(Pdu pdu) {
        return hasValidContentHash(Pdus.federationJson(pdu));
    }

    /** SHA-256 of the canonical JSON of the redacted event without signatures and unsigned. */
    public static byte[] referenceHash(ObjectNode event, RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event, version);
        redacted.remove("signatures");
        redacted.remove("unsigned");
        return sha256(CanonicalJson.encode(redacted));
    }

    /** The reference hash of {@code pdu} in its federation form. */
    public static byte[] referenceHash(Pdu pdu) {
        return referenceHash(Pdus.federationJson(pdu), pdu.version());
    }

    /**
     * The event id of {@code event} in {@code version}: its own {@code event_id} for the v1 format,
     * otherwise {@code $} and the reference hash in standard (v3) or url-safe (v4+) unpadded base64.
     * In those later formats an {@code event_id} key is not part of the event and is left out of
     * the hash.
     *
     * @throws InvalidEventException when a v1-format event has no valid {@code event_id}
     */
    public static EventId eventId(ObjectNode event, RoomVersion version) {
        EventFormat format = version.eventFormat();
        if (format.eventIdInEvent()) {
            return PduFields.eventId("event_id", PduFields.requireString(event, "event_id"));
        }
        ObjectNode federationForm = event;
        if (event.has("event_id")) {
            federationForm = event.deepCopy();
            federationForm.remove("event_id");
        }
        byte[] hash = referenceHash(federationForm, version);
        return EventId.parse(
                "$" + (format.urlSafeEventIds() ? UnpaddedBase64.encodeUrlSafe(hash) : UnpaddedBase64.encode(hash)));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
