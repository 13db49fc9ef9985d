package dev.myelin.server.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds an id that two namespace regexes both match, so that two application services claiming
 * overlapping exclusive namespaces are refused at start-up. Whether two regular expressions
 * intersect is not something a regex library answers, so this looks for a witness among ids built
 * from the literal text the two expressions begin and end with (the way namespaces are written:
 * {@code @irc_.*:example\.org}); it never reports an overlap it cannot show with an id both match,
 * and finds the overlaps of real configurations ({@code @bridge_.*} against {@code @bridge_b.*}).
 */
final class NamespaceOverlap {
    private static final String METACHARACTERS = ".[]{}()*+?|^$";
    private static final List<String> FILLERS =
            List.of("", "a", "b", "x", "z", "0", "1", "_", "-", "bob", "a_b", "user");

    private NamespaceOverlap() {}

    /** An id both {@code a} and {@code b} match, when one can be found. */
    static Optional<String> witness(Pattern a, Pattern b) {
        if (a.pattern().equals(b.pattern())) {
            return Optional.of(a.pattern());
        }
        Set<String> prefixes = new LinkedHashSet<>(List.of(prefix(a.pattern()), prefix(b.pattern()), ""));
        Set<String> suffixes = new LinkedHashSet<>(List.of(suffix(a.pattern()), suffix(b.pattern()), ""));
        for (String prefix : prefixes) {
            for (String suffix : suffixes) {
                for (String filler : FILLERS) {
                    String candidate = prefix + filler + suffix;
                    if (a.matcher(candidate).matches() && b.matcher(candidate).matches()) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The literal text every match of {@code regex} begins with (possibly empty). */
    static String prefix(String regex) {
        List<String> tokens = tokens(regex);
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            if (token == null) {
                break;
            }
            out.append(token);
        }
        return out.toString();
    }

    /** The literal text every match of {@code regex} ends with (possibly empty). */
    static String suffix(String regex) {
        List<String> tokens = tokens(regex);
        StringBuilder out = new StringBuilder();
        for (int i = tokens.size() - 1; i >= 0 && tokens.get(i) != null; i--) {
            out.insert(0, tokens.get(i));
        }
        return out.toString();
    }

    /**
     * The expression as a list of literal characters, with {@code null} for anything that is not
     * one literal character matched exactly once. An alternation makes the whole expression
     * non-literal.
     */
    private static List<String> tokens(String regex) {
        List<String> tokens = new ArrayList<>();
        int start = regex.startsWith("^") ? 1 : 0;
        int end = regex.endsWith("$") && !regex.endsWith("\\$") ? regex.length() - 1 : regex.length();
        if (regex.indexOf('|') >= 0) {
            tokens.add(null);
            return tokens;
        }
        int i = start;
        while (i < end) {
            char c = regex.charAt(i);
            String literal;
            if (c == '\\' && i + 1 < end && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
                literal = String.valueOf(regex.charAt(i + 1));
                i += 2;
            } else if (c == '\\' || METACHARACTERS.indexOf(c) >= 0) {
                tokens.add(null);
                i += c == '\\' ? 2 : 1;
                continue;
            } else {
                literal = String.valueOf(c);
                i++;
            }
            if (i < end && "*?{+".indexOf(regex.charAt(i)) >= 0) {
                // a quantified character is not matched exactly once
                tokens.add(null);
                i++;
            } else {
                tokens.add(literal);
            }
        }
        return tokens;
    }
}
