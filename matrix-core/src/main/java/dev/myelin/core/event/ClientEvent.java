package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The forms of a {@link Pdu} served to others.
 *
 * <p>{@link #toClientFormat} gives the Client-Server API's {@code ClientEvent}: {@code event_id},
 * {@code room_id}, {@code sender}, {@code origin_server_ts}, {@code type}, {@code state_key} for
 * state events, {@code content} and {@code unsigned}. Redactions carry {@code redacts} both at the
 * top level and in {@code content} in every room version, as room version 11 asks servers to
 * serve them for old and new clients alike.
 *
 * <p>{@link #toFederationFormat} gives the event as sent to other servers, dropping only the
 * {@code unsigned} keys that concern this server's own clients.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-event-format">Room event format</a>
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v11/#moving-the-redacts-property-of-mroomredaction-events-to-a-content-property">Redacts in v11</a>
 */
public final class ClientEvent {
    /** {@code unsigned} keys that only mean something to this server's clients. */
    static final Set<String> CLIENT_ONLY_UNSIGNED = Set.of("transaction_id", "membership");

    private ClientEvent() {}

    /** The client format of {@code pdu}; the caller may add to {@code unsigned} afterwards. */
    public static ObjectNode toClientFormat(Pdu pdu) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_id", pdu.eventId().value());
        event.put("room_id", pdu.roomId().value());
        event.put("sender", pdu.sender().toString());
        event.put("origin_server_ts", pdu.originServerTs());
        event.put("type", pdu.type());
        pdu.stateKey().ifPresent(key -> event.put("state_key", key));
        ObjectNode content = pdu.content().deepCopy();
        pdu.redacts().ifPresent(target -> {
            event.put("redacts", target.value());
            if (!content.has("redacts")) {
                content.put("redacts", target.value());
            }
        });
        event.set("content", content);
        event.set("unsigned", pdu.unsigned().deepCopy());
        return event;
    }

    /**
     * The federation format of {@code pdu}: its JSON without {@code event_id} where the id is a
     * hash, and without the client-only {@code unsigned} keys ({@code transaction_id},
     * {@code membership}). Everything signed or hashed is untouched.
     */
    public static ObjectNode toFederationFormat(Pdu pdu) {
        ObjectNode json = Pdus.federationJson(pdu);
        JsonNode unsigned = json.get("unsigned");
        if (unsigned instanceof ObjectNode object) {
            object.remove(CLIENT_ONLY_UNSIGNED);
            if (object.isEmpty()) {
                json.remove("unsigned");
            }
        }
        return json;
    }
}
