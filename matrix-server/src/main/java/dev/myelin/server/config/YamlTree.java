package dev.myelin.server.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a YAML document into a JSON tree with anchors ({@code &name}), aliases ({@code *name}) and
 * merge keys ({@code <<: *name}) resolved, as admins write {@code homeserver.yaml} to share one
 * block of settings, e.g. the same rate limit for several keys. Jackson's own tree reader hands
 * an alias over as the plain string of its anchor's name, so every aliased mapping looked like
 * a string. Scalars are typed exactly as Jackson types them.
 */
final class YamlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MERGE_KEY = "<<";
    /**
     * Bounds the nodes aliases may expand to, so a small file of nested aliases (the "billion
     * laughs") cannot make a tree too big for memory.
     */
    private static final int MAX_EXPANDED_NODES = 1_000_000;

    private final YAMLParser parser;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private int expanded;

    private YamlTree(YAMLParser parser) {
        this.parser = parser;
    }

    /** The document's tree; {@code null} for an empty document. */
    static JsonNode read(String yaml) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return new YamlTree(parser).value();
        }
    }

    /** The value at the parser's current token, which it is left on the last token of. */
    private JsonNode value() throws IOException {
        JsonToken token = parser.currentToken();
        if (parser.isCurrentAlias()) {
            JsonNode target = anchors.get(parser.getText());
            if (target == null) {
                throw new ConfigException("unknown YAML alias *" + parser.getText() + " at line "
                        + parser.currentLocation().getLineNr());
            }
            expanded += size(target);
            if (expanded > MAX_EXPANDED_NODES) {
                throw new ConfigException("YAML aliases expand to more than " + MAX_EXPANDED_NODES + " nodes");
            }
            return target.deepCopy();
        }
        String anchor = parser.getCurrentAnchor();
        JsonNode node = switch (token) {
            case START_OBJECT -> mapping();
            case START_ARRAY -> sequence();
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT ->
                switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> NODES.textNode(parser.getText());
        };
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    /** A mapping; keys from merge keys yield to the mapping's own, wherever they stand. */
    private ObjectNode mapping() throws IOException {
        ObjectNode own = NODES.objectNode();
        ObjectNode merged = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            JsonNode value = value();
            if (key.equals(MERGE_KEY)) {
                if (value.isArray()) {
                    value.forEach(item -> mergeInto(merged, item));
                } else {
                    mergeInto(merged, value);
                }
            } else {
                own.set(key, value);
            }
        }
        merged.setAll(own);
        return merged;
    }

    private static void mergeInto(ObjectNode merged, JsonNode source) {
        if (!source.isObject()) {
            throw new ConfigException("a YAML merge key (<<) must name mappings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!merged.has(entry.getKey())) {
                merged.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
    }

    private ArrayNode sequence() throws IOException {
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value());
        }
        return array;
    }

    private static int size(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) {
            n += size(child);
        }
        return n;
    }
}
