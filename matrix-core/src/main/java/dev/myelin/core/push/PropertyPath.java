package dev.myelin.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dot-separated property path such as {@code content.m\.relates_to.rel_type}, split into the
 * property names it walks through.
 *
 * <p>A backslash escapes a following dot or backslash; before any other character it is kept
 * literally ({@code \x} is a backslash and an {@code x}), as the spec reserves those sequences.
 *
 * @param segments the property names, unescaped
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#dot-separated-property-paths">Dot-separated property paths</a>
 */
public record PropertyPath(List<String> segments) {
    /** Copies the lists, so the value cannot change. */
    public PropertyPath {
        segments = List.copyOf(segments);
    }

    /** Splits {@code path} at its unescaped dots. */
    public static PropertyPath parse(String path) {
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == '.' || path.charAt(i + 1) == '\\')) {
                current.append(path.charAt(++i));
            } else if (c == '.') {
                segments.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        segments.add(current.toString());
        return new PropertyPath(segments);
    }

    /** The value at this path in {@code event}; empty when any step is absent or not an object. */
    public Optional<JsonNode> lookup(JsonNode event) {
        JsonNode node = event;
        for (String segment : segments) {
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            node = node.get(segment);
        }
        return Optional.ofNullable(node);
    }
}
