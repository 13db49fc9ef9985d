package dev.myelin.core.push;

import java.util.regex.Pattern;

/**
 * A compiled glob: {@code *} matches zero or more characters, {@code ?} exactly one, anything
 * else itself, case-insensitively. A glob without wildcards is compared directly, which is the
 * common case ({@code type} patterns) and avoids running a regex per event.
 *
 * Push rule conditions and server ACLs use it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#glob-style-matching">Glob-style matching</a>
 */
public final class Glob {
    /** The characters a word is made of; anything else (and the ends of the value) is a word boundary. */
    private static final String WORD_CHAR = "[A-Za-z0-9_]";

    private final String pattern;
    private final boolean literal;
    private final Pattern whole;
    private final Pattern word;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
        String body = toRegex(pattern);
        int flags = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL;
        this.whole = literal ? null : Pattern.compile(body, flags);
        this.word = Pattern.compile("(?<!" + WORD_CHAR + ")" + body + "(?!" + WORD_CHAR + ")", flags);
    }

    /** Compiles {@code pattern}. */
    public static Glob compile(String pattern) {
        return new Glob(pattern);
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** Whether the glob matches all of {@code value}. */
    public boolean matchesWhole(String value) {
        return literal ? pattern.equalsIgnoreCase(value) : whole.matcher(value).matches();
    }

    /**
     * Whether the glob matches some substring of {@code value} that starts and ends at a word
     * boundary, the rule the spec gives for {@code content.body}.
     */
    boolean matchesWords(String value) {
        return word.matcher(value).find();
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literalRun = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literalRun.isEmpty()) {
                    regex.append(Pattern.quote(literalRun.toString()));
                    literalRun.setLength(0);
                }
                regex.append(c == '*' ? ".*?" : ".");
            } else {
                literalRun.append(c);
            }
        }
        if (!literalRun.isEmpty()) {
            regex.append(Pattern.quote(literalRun.toString()));
        }
        return regex.toString();
    }
}
