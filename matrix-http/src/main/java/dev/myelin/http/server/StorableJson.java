package dev.myelin.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.http.error.MatrixException;
import java.util.Map;

/**
 * The check every JSON request body passes after parsing: values that JSON's syntax allows but no
 * server can keep are refused as 400 {@code M_BAD_JSON} naming where they are. A
 * <code>&#92;ud800</code> escape without its other half parses into a string that UTF-8 cannot
 * encode (a database would store {@code ?}), and a number such as {@code 1e99999999} parses as
 * infinity (written back as the string {@code "Infinity"}). Fractions and large integers stay
 * allowed here: some bodies, such as a tag's {@code order}, are fractions; what becomes event
 * content is held to canonical JSON where it becomes one.
 */
final class StorableJson {
    private StorableJson() {}

    /** Returns {@code body} when every string, key and number in it can be stored as sent. */
    static JsonNode check(JsonNode body) {
        check(body, "");
        return body;
    }

    private static void check(JsonNode node, String path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (CanonicalJson.hasLoneSurrogate(field.getKey())) {
                    throw MatrixException.badJson("'" + name(path) + "' has a key with a lone UTF-16 surrogate");
                }
                check(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isTextual()) {
            if (CanonicalJson.hasLoneSurrogate(node.textValue())) {
                throw MatrixException.badJson("'" + name(path) + "' has a lone UTF-16 surrogate");
            }
        } else if (node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            throw MatrixException.badJson("'" + name(path) + "' is a number too large to represent");
        }
    }

    private static String name(String path) {
        return path.isEmpty() ? "the body" : path;
    }
}
