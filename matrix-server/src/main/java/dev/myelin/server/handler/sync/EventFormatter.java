package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.handler.filter.SyncFilter;
import dev.myelin.server.handler.room.ClientEvents;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes events for {@code /sync} once {@link ClientEvents} has rendered them: the client format
 * loses {@code room_id} (the room is the enclosing key), and the filter's {@code event_fields}
 * cut each event down.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#filtering">Filtering</a>
 */
final class EventFormatter {
    private EventFormatter() {}

    static ObjectNode shape(ObjectNode event, SyncFilter filter) {
        if (!filter.federationFormat()) {
            event.remove("room_id");
        }
        return filter.eventFields() == null ? event : onlyFields(event, filter.eventFields());
    }

    /** Keeps the dotted {@code paths} of {@code event}; {@code \.} is a literal dot in a key. */
    static ObjectNode onlyFields(ObjectNode event, List<String> paths) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String path : paths) {
            List<String> keys = splitPath(path);
            JsonNode value = event;
            for (String key : keys) {
                value = value.isObject() ? value.get(key) : null;
                if (value == null) {
                    break;
                }
            }
            if (value == null) {
                continue;
            }
            ObjectNode target = out;
            for (int i = 0; i < keys.size() - 1; i++) {
                JsonNode child = target.get(keys.get(i));
                target = child instanceof ObjectNode object ? object : target.putObject(keys.get(i));
            }
            target.set(keys.getLast(), value.deepCopy());
        }
        return out;
    }

    private static List<String> splitPath(String path) {
        List<String> keys = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == '.' || path.charAt(i + 1) == '\\')) {
                current.append(path.charAt(++i));
            } else if (c == '.') {
                keys.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        keys.add(current.toString());
        return keys;
    }
}
