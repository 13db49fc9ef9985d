package dev.myelin.core.event;

import dev.myelin.core.json.CanonicalJson;
import java.nio.charset.StandardCharsets;

/**
 * The size limits every PDU must respect: at most {@value #MAX_PDU_BYTES} bytes of canonical JSON
 * in the federation format (signatures and hashes included), and at most {@value #MAX_KEY_BYTES}
 * bytes for {@code type}, {@code state_key}, {@code sender}, {@code room_id} and
 * {@code event_id}. Servers reject larger events, so an event this server creates must fit before
 * it is stored and sent.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#size-limits">Size limits</a>
 */
public final class PduLimits {
    /** The largest PDU, in bytes of canonical JSON. */
    public static final int MAX_PDU_BYTES = 65_536;
    /** The longest {@code type}, {@code state_key}, {@code sender}, {@code room_id} or {@code event_id}, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 255;

    private PduLimits() {}

    /**
     * Checks the length of an event's {@code type} and {@code state_key} as a client chose them,
     * before an event is built from them.
     *
     * @param stateKey the state key, or {@code null} for a message event
     * @throws EventTooLargeException naming the key that is too long
     */
    public static void checkKeys(String type, @org.jspecify.annotations.Nullable String stateKey) {
        checkKey("type", type);
        if (stateKey != null) {
            checkKey("state_key", stateKey);
        }
    }

    /**
     * Checks {@code pdu} against every limit.
     *
     * @throws EventTooLargeException naming the key or the size that is over its limit
     */
    public static void check(Pdu pdu) {
        checkKeys(pdu.type(), pdu.stateKey().orElse(null));
        checkKey("sender", pdu.sender().toString());
        checkKey("room_id", pdu.roomId().value());
        checkKey("event_id", pdu.eventId().value());
        int size = CanonicalJson.encode(pdu.json()).length;
        if (size > MAX_PDU_BYTES) {
            throw new EventTooLargeException(
                    "event is " + size + " bytes of canonical JSON; the limit is " + MAX_PDU_BYTES);
        }
    }

    private static void checkKey(String key, String value) {
        // A UTF-8 byte is at least one char; only long strings need encoding to count their bytes.
        if (value.length() > MAX_KEY_BYTES
                || (value.length() * 3 > MAX_KEY_BYTES
                        && value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES)) {
            throw new EventTooLargeException("'" + key + "' is longer than " + MAX_KEY_BYTES + " bytes");
        }
    }
}
