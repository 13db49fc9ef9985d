package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersion;

/**
 * Turning received JSON into {@link Pdu}s: the event id is taken from the event (v1 format) or
 * computed from its reference hash (v3 and later), and for room version 12 the create event's
 * room id follows from that id.
 */
public final class Pdus {
    private Pdus() {}

    /**
     * The PDU for {@code json} in {@code version}, with its event id derived per the version's
     * event format. Hashes and signatures are not checked here: see {@link EventSignatures}.
     *
     * @throws InvalidEventException when the JSON is not a valid event for the version
     */
    public static Pdu fromJson(ObjectNode json, RoomVersion version) {
        return Pdu.of(version, json, EventHashes.eventId(json, version));
    }

    /**
     * Parses UTF-8 event JSON (strictly when the version enforces canonical JSON) and wraps it.
     *
     * @throws dev.myelin.core.json.CanonicalJsonException when the bytes are not acceptable JSON
     * @throws InvalidEventException when the JSON is not a valid event for the version
     */
    public static Pdu fromBytes(byte[] json, RoomVersion version) {
        JsonNode node = CanonicalJson.parse(json, version);
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidEventException("an event must be a JSON object");
        }
        return fromJson(object, version);
    }

    /**
     * The event as it travels between servers: its JSON without {@code event_id} where the format
     * derives the id from the hash. {@code unsigned} is kept; see {@link ClientEvent} for the
     * client format.
     */
    public static ObjectNode federationJson(Pdu pdu) {
        ObjectNode json = pdu.json();
        if (!pdu.version().eventFormat().eventIdInEvent()) {
            json.remove("event_id");
        }
        return json;
    }
}
