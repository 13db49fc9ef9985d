package dev.myelin.federation.auth;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of one {@code Authorization: X-Matrix ...} header: who sent the request, to whom, and
 * the signature by one of the sender's keys.
 *
 * <p>{@link #parse} reads the header as tolerantly as the spec asks: the scheme and parameter names
 * in any case, parameters in any order, values quoted (with backslash escapes) or bare (colons
 * allowed for older senders), spaces and tabs around commas, and unknown parameters ignored.
 * {@link #format()} writes what the spec asks senders to write: one space after the scheme,
 * lower-case names, every value quoted, no spaces around commas.
 *
 * @param origin the sending server's name ({@code origin})
 * @param destination the receiving server's name ({@code destination}); absent only in headers
 *     from servers older than spec v1.3
 * @param key the id of the key that signed ({@code key})
 * @param signature the unpadded base64 signature ({@code sig})
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#request-authentication">Request Authentication</a>
 */
public record XMatrixAuthorization(
        ServerName origin, Optional<ServerName> destination, SigningKeyId key, String signature) {
    /** The authorisation scheme, compared without regard to case. */
    public static final String SCHEME = "X-Matrix";

    /** Requires every part; the signature must not be empty. */
    public XMatrixAuthorization {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signature, "signature");
        if (signature.isEmpty()) {
            throw new IllegalArgumentException("signature must not be empty");
        }
    }

    /** True when {@code header} uses the X-Matrix scheme (other schemes are someone else's). */
    public static boolean isXMatrix(String header) {
        String trimmed = header.stripLeading();
        return trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && (trimmed.length() == SCHEME.length() || isSpace(trimmed.charAt(SCHEME.length())));
    }

    /**
     * Reads an {@code Authorization} header value.
     *
     * @throws MalformedAuthorizationException when it is not an X-Matrix header, its parameters do
     *     not follow the grammar, a parameter is given twice, or {@code origin}, {@code key} or
     *     {@code sig} is missing or invalid
     */
    public static XMatrixAuthorization parse(String header) {
        Objects.requireNonNull(header, "header");
        if (!isXMatrix(header)) {
            throw new MalformedAuthorizationException("Authorization header does not use the X-Matrix scheme");
        }
        String params = header.stripLeading().substring(SCHEME.length());
        Map<String, String> values = new ParamReader(params).read();
        ServerName origin = serverName(values, "origin").orElseThrow(() -> missing("origin"));
        Optional<ServerName> destination = serverName(values, "destination");
        String keyText = Optional.ofNullable(values.get("key")).orElseThrow(() -> missing("key"));
        SigningKeyId key;
        try {
            key = SigningKeyId.parse(keyText);
        } catch (InvalidIdentifierException e) {
            throw new MalformedAuthorizationException("X-Matrix key is not a key id: " + e.getMessage());
        }
        String signature = values.get("sig");
        if (signature == null || signature.isEmpty()) {
            throw missing("sig");
        }
        return new XMatrixAuthorization(origin, destination, key, signature);
    }

    /** The header value, e.g. {@code X-Matrix origin="a.example",destination="b.example",key="ed25519:1",sig="..."}. */
    public String format() {
        StringBuilder out = new StringBuilder(SCHEME).append(' ');
        out.append("origin=").append(quoted(origin.value()));
        destination.ifPresent(d -> out.append(",destination=").append(quoted(d.value())));
        out.append(",key=").append(quoted(key.toString()));
        out.append(",sig=").append(quoted(signature));
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static Optional<ServerName> serverName(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServerName.parse(value));
        } catch (InvalidIdentifierException e) {
            throw new MalformedAuthorizationException("X-Matrix " + name + " is not a server name: " + e.getMessage());
        }
    }

    private static MalformedAuthorizationException missing(String name) {
        return new MalformedAuthorizationException("X-Matrix Authorization header has no " + name);
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** The comma-separated {@code name=value} list after the scheme (RFC 9110 section 11.4). */
    private static final class ParamReader {
        private final String text;
        private int pos;

        ParamReader(String text) {
            this.text = text;
        }

        Map<String, String> read() {
            Map<String, String> values = new HashMap<>();
            skipSpaces();
            while (pos < text.length()) {
                if (text.charAt(pos) == ',') {
                    // empty list elements are allowed by the list grammar
                    pos++;
                    skipSpaces();
                    continue;
                }
                String name = name();
                skipSpaces();
                expect('=');
                skipSpaces();
                String value = pos < text.length() && text.charAt(pos) == '"' ? quotedValue() : bareValue();
                if (values.put(name, value) != null) {
                    throw new MalformedAuthorizationException("X-Matrix parameter " + name + " is given twice");
                }
                skipSpaces();
                if (pos < text.length()) {
                    expect(',');
                    skipSpaces();
                }
            }
            return values;
        }

        private String name() {
            int start = pos;
            while (pos < text.length() && isTokenChar(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw syntax("a parameter name");
            }
            return text.substring(start, pos).toLowerCase(Locale.ROOT);
        }

        private String quotedValue() {
            pos++; // the opening quote
            StringBuilder value = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (pos == text.length()) {
                        break;
                    }
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            throw new MalformedAuthorizationException("X-Matrix Authorization header has an unterminated quoted value");
        }

        private String bareValue() {
            int start = pos;
            // beyond a token: older senders leave colons (server names, key ids) and base64's '/'
            // unquoted, and nothing else but a space, comma or quote can end a bare value
            while (pos < text.length() && isBareValueChar(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw syntax("a parameter value");
            }
            return text.substring(start, pos);
        }

        private void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw syntax("'" + c + "'");
            }
            pos++;
        }

        private void skipSpaces() {
            while (pos < text.length() && isSpace(text.charAt(pos))) {
                pos++;
            }
        }

        private MalformedAuthorizationException syntax(String expected) {
            String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
            return new MalformedAuthorizationException(
                    "X-Matrix Authorization header is malformed: expected " + expected + " at " + found);
        }

        private static boolean isBareValueChar(char c) {
            return c > ' ' && c < 0x7f && c != ',' && c != '"' && c != '\\';
        }

        /** RFC 9110 {@code tchar}. */
        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
