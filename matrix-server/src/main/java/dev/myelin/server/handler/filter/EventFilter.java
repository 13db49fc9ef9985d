package dev.myelin.server.handler.filter;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which events of a list a client wants: the {@code EventFilter} of the spec. Types may end in or
 * contain {@code *}, matching any run of characters. An absent allow-list allows everything; a
 * {@code not_} list always wins over its allow-list.
 *
 * @param limit the most events wanted, when the filter says
 * @param types the types allowed; all when null
 * @param notTypes the types excluded
 * @param senders the senders allowed; all when null
 * @param notSenders the senders excluded
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#filtering">Filtering</a>
 */
public record EventFilter(
        @Nullable Integer limit,
        @Nullable List<String> types,
        List<String> notTypes,
        @Nullable List<String> senders,
        List<String> notSenders) {
    /** Allows every event. */
    public static final EventFilter ALL = new EventFilter(null, null, List.of(), null, List.of());

    /** The filter's limit, or {@code defaultLimit} when it sets none. */
    public int limitOr(int defaultLimit) {
        return limit == null ? defaultLimit : limit;
    }

    public boolean allowsType(String type) {
        if (notTypes.stream().anyMatch(p -> matches(p, type))) {
            return false;
        }
        return types == null || types.stream().anyMatch(p -> matches(p, type));
    }

    public boolean allowsSender(String sender) {
        if (notSenders.contains(sender)) {
            return false;
        }
        return senders == null || senders.contains(sender);
    }

    public boolean allows(String type, String sender) {
        return allowsType(type) && allowsSender(sender);
    }

    /** {@code *} matches any run of characters; everything else matches itself. */
    static boolean matches(String pattern, String value) {
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(value);
        }
        String[] pieces = pattern.split("\\*", -1);
        if (!value.startsWith(pieces[0])) {
            return false;
        }
        int at = pieces[0].length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = value.indexOf(pieces[i], at);
            if (found < 0) {
                return false;
            }
            at = found + pieces[i].length();
        }
        String last = pieces[pieces.length - 1];
        return value.length() - at >= last.length() && value.endsWith(last);
    }
}
