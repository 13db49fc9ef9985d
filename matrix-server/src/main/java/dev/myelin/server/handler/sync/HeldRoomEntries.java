package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.event.StoredEvent;
import java.util.List;

/**
 * The {@code /sync} entries of rooms this server does not take part in but holds a user's
 * membership of (an invite or a knock made through another server): the stripped state with the
 * membership event, or, once it ended, a left room whose timeline is the leave.
 */
final class HeldRoomEntries {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ClientEvents clientEvents;

    HeldRoomEntries(ClientEvents clientEvents) {
        this.clientEvents = clientEvents;
    }

    /** {@code {key: {events: stripped + [own]}}}, as {@code invite_state} or {@code knock_state}. */
    ObjectNode withStrippedState(SyncContext ctx, String key, ArrayNode stripped, StoredEvent own) {
        ArrayNode state = stripped.deepCopy();
        state.add(format(ctx, own));
        ObjectNode entry = NODES.objectNode();
        entry.putObject(key).set("events", state);
        return entry;
    }

    /** A left room whose timeline is {@code leaveEvent}. */
    ObjectNode left(SyncContext ctx, StoredEvent leaveEvent) {
        ObjectNode entry = NODES.objectNode();
        entry.putObject("state").set("events", NODES.arrayNode());
        ObjectNode timeline = entry.putObject("timeline");
        timeline.putArray("events").add(format(ctx, leaveEvent));
        timeline.put("limited", false);
        entry.putObject("account_data").set("events", NODES.arrayNode());
        return entry;
    }

    private ObjectNode format(SyncContext ctx, StoredEvent event) {
        ObjectNode json = clientEvents
                .render(List.of(event), ctx.viewer(), ctx.filter().federationFormat())
                .getFirst();
        return EventFormatter.shape(json, ctx.filter());
    }
}
