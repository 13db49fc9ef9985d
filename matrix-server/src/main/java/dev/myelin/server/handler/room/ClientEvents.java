package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.EventId;
import dev.myelin.server.Stores;
import dev.myelin.storage.event.StoredEvent;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stored events in the client format. A redacted event is served in its redacted form with the
 * redaction under {@code unsigned.redacted_because}, as the spec's redactions section asks.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#redactions">Redactions</a>
 */
public final class ClientEvents {
    private final Stores stores;

    public ClientEvents(Stores stores) {
        this.stores = stores;
    }

    public ObjectNode format(StoredEvent event) {
        return format(event, event.redactedBy().map(id -> stores.events().getAll(Set.of(id))).orElse(Map.of()));
    }

    /** The events in order, as a JSON array; redactions are read in one batch. */
    public ArrayNode formatAll(Collection<StoredEvent> events) {
        Set<EventId> redactions = new HashSet<>();
        events.forEach(e -> e.redactedBy().ifPresent(redactions::add));
        Map<EventId, StoredEvent> byId = redactions.isEmpty() ? Map.of() : stores.events().getAll(redactions);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        events.forEach(e -> out.add(format(e, byId)));
        return out;
    }

    private static ObjectNode format(StoredEvent event, Map<EventId, StoredEvent> redactions) {
        StoredEvent redaction = event.redactedBy().map(redactions::get).orElse(null);
        if (redaction == null) {
            return ClientEvent.toClientFormat(event.pdu());
        }
        ObjectNode json = ClientEvent.toClientFormat(Redaction.redact(event.pdu()));
        ObjectNode unsigned = json.get("unsigned") instanceof ObjectNode u ? u : json.putObject("unsigned");
        unsigned.set("redacted_because", ClientEvent.toClientFormat(redaction.pdu()));
        return json;
    }
}
