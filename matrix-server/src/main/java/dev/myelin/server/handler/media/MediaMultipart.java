package dev.myelin.server.handler.media;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code multipart/mixed} body of the federation media endpoints (RFC 2046): a first part of
 * {@code application/json} metadata ({@code {}} today), then a second part holding the media
 * bytes with their {@code Content-Type} and {@code Content-Disposition}, or a {@code Location}
 * to fetch them from. Writes this server's answers and reads other servers', which are untrusted:
 * anything that is not two parts inside the declared boundary is {@link MalformedException}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1mediadownloadmediaid">spec</a>
 */
public final class MediaMultipart {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_HEADERS_BYTES = 16 * 1024;

    private MediaMultipart() {}

    /** A fresh boundary: 32 random hex digits, which no media is expected to contain. */
    public static String newBoundary(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The {@code Content-Type} of an answer with {@code boundary}. */
    public static String contentType(String boundary) {
        return "multipart/mixed; boundary=" + boundary;
    }

    /** What comes before the media bytes: the metadata part and the headers of the media part. */
    public static byte[] head(String boundary, String contentType, String contentDisposition) {
        String head = "--" + boundary + "\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + "{}\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Disposition: " + contentDisposition + "\r\n\r\n";
        return head.getBytes(StandardCharsets.UTF_8);
    }

    /** What comes after the media bytes: the closing delimiter. */
    public static byte[] tail(String boundary) {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Another server's answer did not have the two parts the spec requires. */
    public static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * The media part of an answer: its headers (names lower-cased) and where its bytes lie within
     * the body that was parsed.
     */
    public record MediaPart(Map<String, String> headers, int offset, int length) {
        public MediaPart {
            headers = Map.copyOf(headers);
        }

        /** A header of the part, by lower-case name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /**
     * Reads an answer: {@code contentType} is its {@code Content-Type} header, which must be
     * {@code multipart/mixed} with a boundary.
     *
     * @throws MalformedException when it is not what the spec describes
     */
    public static MediaPart parse(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] inner = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        // the first delimiter opens the body or follows a preamble's line break
        int first = startsWith(body, 0, delimiter) ? 0 : indexOf(body, inner, 0);
        if (first < 0) {
            throw new MalformedException("no boundary delimiter");
        }
        int pos = (first == 0 && startsWith(body, 0, delimiter) ? 0 : first + 2) + delimiter.length;
        pos = expectLineEnd(body, pos);
        int metadataBodyStart = endOfHeaders(body, pos);
        Map<String, String> metadataHeaders = headers(body, pos, metadataBodyStart - 4);
        if (!metadataHeaders
                .getOrDefault("content-type", "")
                .toLowerCase(Locale.ROOT)
                .startsWith("application/json")) {
            throw new MalformedException("the first part is not application/json");
        }
        int metadataEnd = indexOf(body, inner, metadataBodyStart);
        if (metadataEnd < 0) {
            throw new MalformedException("only one part");
        }
        pos = metadataEnd + inner.length;
        if (startsWith(body, pos, new byte[] {'-', '-'})) {
            throw new MalformedException("only one part");
        }
        pos = expectLineEnd(body, pos);
        int mediaStart = endOfHeaders(body, pos);
        Map<String, String> mediaHeaders = headers(body, pos, mediaStart - 4);
        int mediaEnd = indexOf(body, inner, mediaStart);
        if (mediaEnd < 0) {
            throw new MalformedException("the media part is not closed by the boundary");
        }
        int after = mediaEnd + inner.length;
        if (!startsWith(body, after, new byte[] {'-', '-'})) {
            throw new MalformedException("more than two parts");
        }
        return new MediaPart(mediaHeaders, mediaStart, mediaEnd - mediaStart);
    }

    /** The boundary parameter of a {@code multipart/mixed} type. */
    static String boundary(String contentType) {
        String[] pieces = contentType.split(";");
        if (!pieces[0].strip().equalsIgnoreCase("multipart/mixed")) {
            throw new MalformedException("not multipart/mixed but " + pieces[0].strip());
        }
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                String value = p.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                // RFC 2046: 1 to 70 characters
                if (value.isEmpty() || value.length() > 70 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    throw new MalformedException("invalid boundary");
                }
                return value;
            }
        }
        throw new MalformedException("no boundary parameter");
    }

    /** Skips optional transport padding (spaces, tabs) and the line break after a delimiter. */
    private static int expectLineEnd(byte[] body, int pos) {
        while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
            pos++;
        }
        if (!startsWith(body, pos, CRLF)) {
            throw new MalformedException("no line break after a boundary delimiter");
        }
        return pos + 2;
    }

    /** Where a part's body begins: after the blank line ending its headers. */
    private static int endOfHeaders(byte[] body, int pos) {
        if (startsWith(body, pos, CRLF)) {
            return pos + 2; // no headers at all
        }
        int end = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, pos);
        if (end < 0 || end - pos > MAX_HEADERS_BYTES) {
            throw new MalformedException("part headers are not terminated");
        }
        return end + 4;
    }

    private static Map<String, String> headers(byte[] body, int from, int to) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (to <= from) {
            return headers;
        }
        String block = new String(body, from, to - from, StandardCharsets.UTF_8);
        for (String line : block.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("malformed part header");
            }
            headers.put(
                    line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static boolean startsWith(byte[] body, int pos, byte[] prefix) {
        if (pos < 0 || pos + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= body.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
