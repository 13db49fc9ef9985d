package dev.myelin.replication;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.replication.ReplicationCommand.Command;
import dev.myelin.replication.ReplicationCommand.Invalidate;
import dev.myelin.replication.ReplicationCommand.Position;
import dev.myelin.replication.ReplicationCommand.Replicate;
import dev.myelin.replication.ReplicationCommand.Row;
import dev.myelin.replication.ReplicationCommand.Typing;
import dev.myelin.replication.ReplicationCommand.UserSync;
import dev.myelin.replication.ReplicationCommand.Wake;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format of replication messages: one compact JSON object per message.
 *
 * <p>Every message has the envelope {@code "i"} (instance, non-empty string), {@code "n"}
 * (incarnation, non-empty string), {@code "s"} (sequence, integer &ge; 1) and {@code "c"} (the
 * command's type); the command's fields sit beside them:
 *
 * <table>
 *   <caption>Commands and their fields</caption>
 *   <tr><th>{@code "c"}</th><th>fields</th></tr>
 *   <tr><td>{@code POSITION}</td><td>{@code "stream"} string, {@code "token"} integer,
 *       {@code "rows"} array of {@code [position, kind, entity]}</td></tr>
 *   <tr><td>{@code INVALIDATE}</td><td>{@code "cache"} string, {@code "keys"} array of strings
 *       (empty = all)</td></tr>
 *   <tr><td>{@code WAKE}</td><td>{@code "users"} and {@code "rooms"} arrays of strings,
 *       {@code "positions"} object of stream name to integer token</td></tr>
 *   <tr><td>{@code REPLICATE}</td><td>none</td></tr>
 *   <tr><td>{@code USER_SYNC}</td><td>{@code "user"} string, {@code "syncing"} boolean,
 *       {@code "at"} integer (milliseconds since the epoch)</td></tr>
 *   <tr><td>{@code TYPING}</td><td>{@code "room"} string, {@code "users"} array of strings,
 *       {@code "token"} integer</td></tr>
 *   <tr><td>{@code COMMAND}</td><td>{@code "name"} non-empty string, {@code "body"} object</td></tr>
 * </table>
 *
 * <p>For example {@code
 * {"i":"worker1","n":"f3k2","s":42,"c":"POSITION","stream":"events","token":17,"rows":[[16,"ROOM_EVENTS","!r:hs"]]}}.
 *
 * <p>Short envelope keys because every message carries them and a busy homeserver sends many;
 * rows as arrays for the same reason. Decoding is strict about what it needs (a missing field, a
 * wrong type, a fraction or out-of-range integer, a duplicate key, trailing text, an unknown
 * {@code "c"} are rejected) and ignores fields it does not know, so a newer instance can add
 * fields without breaking an older one during a rolling restart. Every failure is a {@link
 * ReplicationCodecException}: a reader logs and skips the message, and the sequence gap that
 * leaves tells it that it missed something.
 */
public final class ReplicationCodec {

    // configured once and never changed afterwards: ObjectMapper is thread-safe for use
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ReplicationCodec() {}

    /**
     * The message as one line of compact JSON.
     *
     * @param m the message
     * @return its JSON text
     */
    public static String encode(ReplicationMessage m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("i", m.instance());
        o.put("n", m.incarnation());
        o.put("s", m.sequence());
        switch (m.command()) {
            case Position p -> {
                o.put("c", "POSITION");
                o.put("stream", p.stream());
                o.put("token", p.token());
                ArrayNode rows = o.putArray("rows");
                for (Row r : p.rows()) {
                    rows.addArray().add(r.position()).add(r.kind()).add(r.entity());
                }
            }
            case Invalidate inv -> {
                o.put("c", "INVALIDATE");
                o.put("cache", inv.cache());
                strings(o.putArray("keys"), inv.keys());
            }
            case Wake w -> {
                o.put("c", "WAKE");
                strings(o.putArray("users"), w.users());
                strings(o.putArray("rooms"), w.rooms());
                ObjectNode positions = o.putObject("positions");
                w.positions().forEach(positions::put);
            }
            case Replicate r -> o.put("c", "REPLICATE");
            case UserSync u -> {
                o.put("c", "USER_SYNC");
                o.put("user", u.userId());
                o.put("syncing", u.syncing());
                o.put("at", u.atMillis());
            }
            case Typing t -> {
                o.put("c", "TYPING");
                o.put("room", t.roomId());
                strings(o.putArray("users"), t.userIds());
                o.put("token", t.token());
            }
            case Command c -> {
                o.put("c", "COMMAND");
                o.put("name", c.name());
                o.set("body", c.body());
            }
        }
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JacksonException e) {
            throw new ReplicationCodecException(
                    "cannot write " + m.command().getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads one message.
     *
     * @param json the JSON text of one message
     * @return the message
     * @throws ReplicationCodecException if the text is not one valid message
     */
    public static ReplicationMessage decode(String json) {
        if (json == null) {
            throw new ReplicationCodecException("no message text");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException | RuntimeException e) {
            throw new ReplicationCodecException("not JSON: " + firstLine(e.getMessage()), e);
        }
        if (!(root instanceof ObjectNode o)) {
            throw new ReplicationCodecException("a replication message must be a JSON object");
        }
        String instance = text(o, "i");
        String incarnation = text(o, "n");
        long sequence = integer(o, "s");
        String type = text(o, "c");
        ReplicationCommand command = command(type, o);
        try {
            return new ReplicationMessage(instance, incarnation, sequence, command);
        } catch (IllegalArgumentException e) {
            throw new ReplicationCodecException(e.getMessage(), e);
        }
    }

    private static ReplicationCommand command(String type, ObjectNode o) {
        try {
            ReplicationCommand command = switch (type) {
                case "POSITION" -> new Position(text(o, "stream"), integer(o, "token"), rows(o));
                case "INVALIDATE" -> new Invalidate(text(o, "cache"), strings(o, "keys"));
                case "WAKE" -> new Wake(strings(o, "users"), strings(o, "rooms"), positions(o));
                case "REPLICATE" -> new Replicate();
                case "USER_SYNC" -> new UserSync(text(o, "user"), bool(o, "syncing"), integer(o, "at"));
                case "TYPING" -> new Typing(text(o, "room"), strings(o, "users"), integer(o, "token"));
                case "COMMAND" -> new Command(text(o, "name"), object(o, "body"));
                default -> null;
            };
            if (command == null) {
                throw new ReplicationCodecException("unknown command \"" + type + "\"");
            }
            return command;
        } catch (IllegalArgumentException e) {
            throw new ReplicationCodecException(type + ": " + e.getMessage(), e);
        }
    }

    private static List<Row> rows(ObjectNode o) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode row : array(o, "rows")) {
            if (!row.isArray()
                    || row.size() != 3
                    || !isLong(row.get(0))
                    || !row.get(1).isTextual()
                    || !row.get(2).isTextual()) {
                throw new ReplicationCodecException("field \"rows\" must hold [position, kind, entity] arrays");
            }
            rows.add(new Row(
                    row.get(0).longValue(), row.get(1).textValue(), row.get(2).textValue()));
        }
        return rows;
    }

    private static Map<String, Long> positions(ObjectNode o) {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(o, "positions").properties()) {
            if (!isLong(e.getValue())) {
                throw new ReplicationCodecException("field \"positions\" must map stream names to integers");
            }
            positions.put(e.getKey(), e.getValue().longValue());
        }
        return positions;
    }

    private static List<String> strings(ObjectNode o, String name) {
        List<String> strings = new ArrayList<>();
        for (JsonNode s : array(o, name)) {
            if (!s.isTextual()) {
                throw new ReplicationCodecException("field \"" + name + "\" must be an array of strings");
            }
            strings.add(s.textValue());
        }
        return strings;
    }

    private static void strings(ArrayNode into, List<String> strings) {
        strings.forEach(into::add);
    }

    private static JsonNode field(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null) {
            throw new ReplicationCodecException("missing field \"" + name + "\"");
        }
        return n;
    }

    private static String text(ObjectNode o, String name) {
        JsonNode n = field(o, name);
        if (!n.isTextual()) {
            throw new ReplicationCodecException("field \"" + name + "\" must be a string");
        }
        return n.textValue();
    }

    private static long integer(ObjectNode o, String name) {
        JsonNode n = field(o, name);
        if (!isLong(n)) {
            throw new ReplicationCodecException("field \"" + name + "\" must be an integer");
        }
        return n.longValue();
    }

    private static boolean isLong(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    private static boolean bool(ObjectNode o, String name) {
        JsonNode n = field(o, name);
        if (!n.isBoolean()) {
            throw new ReplicationCodecException("field \"" + name + "\" must be true or false");
        }
        return n.booleanValue();
    }

    private static ArrayNode array(ObjectNode o, String name) {
        if (!(field(o, name) instanceof ArrayNode a)) {
            throw new ReplicationCodecException("field \"" + name + "\" must be an array");
        }
        return a;
    }

    private static ObjectNode object(ObjectNode o, String name) {
        if (!(field(o, name) instanceof ObjectNode obj)) {
            throw new ReplicationCodecException("field \"" + name + "\" must be an object");
        }
        return obj;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
