package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.room.RedactionRules;
import dev.myelin.core.room.RoomVersion;
import java.util.Map;
import java.util.Objects;

/**
 * The redaction algorithm: what remains of an event once it is redacted, and the form that event
 * signatures and reference hashes cover. Driven only by {@link RoomVersion#redaction()}.
 *
 * <p>Top-level keys not in {@link RedactionRules#topLevelKeys()} are removed; that includes
 * {@code unsigned}, so the redacted event has no {@code unsigned} at all. A server serving a
 * redacted event to clients adds what it needs there itself (for example
 * {@code unsigned.redacted_because}) after calling this.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#redactions">Redactions</a>
 */
public final class Redaction {
    private static final String CREATE = "m.room.create";
    private static final String MEMBER = "m.room.member";

    private Redaction() {}

    /** A redacted copy of {@code event} under {@code version}'s rules; {@code event} is unchanged. */
    public static ObjectNode redact(ObjectNode event, RoomVersion version) {
        Objects.requireNonNull(version, "version");
        RedactionRules rules = version.redaction();
        ObjectNode redacted = event.objectNode();
        for (Map.Entry<String, JsonNode> field : event.properties()) {
            if (rules.topLevelKeys().contains(field.getKey())) {
                redacted.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        JsonNode content = event.get("content");
        if (content != null) {
            redacted.set("content", redactContent(event.path("type").asText(""), content, rules));
        }
        return redacted;
    }

    /** The redacted form of {@code pdu}, with the same event id. */
    public static Pdu redact(Pdu pdu) {
        return Pdu.of(pdu.version(), redact(pdu.json(), pdu.version()), pdu.eventId());
    }

    private static ObjectNode redactContent(String type, JsonNode content, RedactionRules rules) {
        ObjectNode kept = content.isObject() ? ((ObjectNode) content).objectNode() : null;
        if (kept == null) {
            // Not a valid event; keep the shape the rules promise.
            return JsonNodeFactory.instance.objectNode();
        }
        if (type.equals(CREATE) && rules.keepAllCreateContent()) {
            return (ObjectNode) content.deepCopy();
        }
        for (String key : rules.contentKeysFor(type)) {
            JsonNode value = content.get(key);
            if (value != null) {
                kept.set(key, value.deepCopy());
            }
        }
        if (type.equals(MEMBER) && rules.keepThirdPartyInviteSigned()) {
            JsonNode signed = content.path("third_party_invite").get("signed");
            if (signed != null) {
                kept.putObject("third_party_invite").set("signed", signed.deepCopy());
            }
        }
        return kept;
    }
}
