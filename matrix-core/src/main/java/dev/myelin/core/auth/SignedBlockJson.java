package dev.myelin.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Canonical JSON of the small {@code signed} block of a third-party invite: keys sorted by code
 * point, no insignificant whitespace, only the escapes canonical JSON requires. Floats have no
 * canonical form, so a block holding one cannot be verified. This is deliberately limited to
 * what the invite check needs; event signing has its own canonical JSON.
 */
final class SignedBlockJson {
    private SignedBlockJson() {}

    static Optional<String> encode(JsonNode node) {
        StringBuilder out = new StringBuilder();
        return write(node, out) ? Optional.of(out.toString()) : Optional.empty();
    }

    private static boolean write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
                entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> entry : entries) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(entry.getKey(), out);
                    out.append(':');
                    if (!write(entry.getValue(), out)) {
                        return false;
                    }
                }
                out.append('}');
                return true;
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!write(node.get(i), out)) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case STRING -> {
                string(node.textValue(), out);
                return true;
            }
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    return false;
                }
                out.append(node.bigIntegerValue());
                return true;
            }
            case BOOLEAN -> {
                out.append(node.booleanValue());
                return true;
            }
            case NULL -> {
                out.append("null");
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
