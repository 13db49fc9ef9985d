package dev.myelin.server.api.client.media;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.MxcUri;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaContent;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.server.handler.media.MediaMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How media is sent to clients: streamed from disk with its length, and with the headers that
 * keep a browser from running it as part of the homeserver's origin.
 *
 * <ul>
 *   <li>{@code Content-Disposition: inline} only for the spec's inline-safe types, {@code attachment}
 *       for everything else (HTML, SVG, scripts, XML, unknown), with the file name per RFC 6266;</li>
 *   <li>a sandboxing {@code Content-Security-Policy}, {@code X-Content-Type-Options: nosniff} and
 *       {@code Cross-Origin-Resource-Policy: cross-origin} (web clients load media from another
 *       origin).</li>
 * </ul>
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#serving-inline-content">serving inline content</a>
 */
public final class MediaResponses {
    /** The spec's types that are safe to serve inline. */
    static final Set<String> INLINE_SAFE = Set.of(
            "text/css",
            "text/plain",
            "text/csv",
            "application/json",
            "application/ld+json",
            "image/jpeg",
            "image/gif",
            "image/png",
            "image/apng",
            "image/webp",
            "image/avif",
            "video/mp4",
            "video/webm",
            "video/ogg",
            "video/quicktime",
            "audio/mp4",
            "audio/webm",
            "audio/aac",
            "audio/mpeg",
            "audio/ogg",
            "audio/wave",
            "audio/wav",
            "audio/x-wav",
            "audio/x-pn-wav",
            "audio/flac",
            "audio/x-flac");

    static final String CSP = "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; "
            + "style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";
    /** Default of the {@code timeout_ms} parameter. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

    private static final int BUFFER = 64 * 1024;

    private MediaResponses() {}

    /** Streams {@code content} with the safe-serving headers. */
    static MatrixResponse serve(MediaContent content, boolean forceInline) {
        return MatrixResponse.stream(
                        200, content.contentType(), OptionalLong.of(content.length()), out -> copy(content, out))
                .withHeader("Content-Disposition", disposition(content, forceInline))
                .withHeader("Content-Security-Policy", CSP)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Cross-Origin-Resource-Policy", "cross-origin")
                .withHeader("Cache-Control", "public, max-age=86400, s-maxage=86400");
    }

    /**
     * Streams {@code content} to another server as the federation media endpoints answer: {@code
     * multipart/mixed} with the {@code {}} metadata part, then the content with its type and the
     * same disposition a client would get.
     *
     * @see MediaMultipart
     */
    public static MatrixResponse serveMultipart(MediaContent content, boolean forceInline, SecureRandom random) {
        String boundary = MediaMultipart.newBoundary(random);
        byte[] head = MediaMultipart.head(boundary, content.contentType(), disposition(content, forceInline));
        byte[] tail = MediaMultipart.tail(boundary);
        long length = head.length + content.length() + tail.length;
        return MatrixResponse.stream(200, MediaMultipart.contentType(boundary), OptionalLong.of(length), out -> {
            out.write(head);
            copy(content, out);
            out.write(tail);
        });
    }

    private static String disposition(MediaContent content, boolean forceInline) {
        String disposition =
                forceInline || INLINE_SAFE.contains(baseType(content.contentType())) ? "inline" : "attachment";
        return contentDisposition(disposition, content.fileName());
    }

    private static void copy(MediaContent content, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(content.file())) {
            byte[] buffer = new byte[BUFFER];
            long left = content.length();
            int n;
            // never more than the Content-Length already sent
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /**
     * {@code inline} or {@code attachment} with the file name: plain {@code filename="..."} for
     * printable ASCII without quotes or backslashes, else RFC 6266's {@code filename*=utf-8''...}.
     */
    static String contentDisposition(String disposition, Optional<String> fileName) {
        if (fileName.isEmpty() || fileName.get().isEmpty()) {
            return disposition;
        }
        String name = fileName.get();
        boolean plain = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%');
        if (plain) {
            return disposition + "; filename=\"" + name + "\"";
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                encoded.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return disposition + "; filename*=utf-8''" + encoded;
    }

    static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The {@code mxc://} URI of the request's {@code {serverName}/{mediaId}}; 400
     * {@code M_INVALID_PARAM} naming the part that is not valid.
     */
    static MxcUri mxcUri(MatrixRequest request) {
        ServerName server;
        try {
            server = ServerName.parse(request.pathParam("serverName"));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("serverName", e.getMessage());
        }
        MediaId id = MediaId.parse(request.pathParam("mediaId"));
        try {
            return new MxcUri(server, id.value());
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("serverName", e.getMessage());
        }
    }

    /**
     * {@code timeout_ms}: how long to wait for content not uploaded yet, at most {@link
     * MediaHandler#MAX_WAIT}. Clamped here, before it becomes a {@link Duration}, because a huge
     * value (up to {@code Long.MAX_VALUE} ms) overflows once converted to nanoseconds.
     */
    public static Duration timeout(MatrixRequest request) {
        return request.queryParam("timeout_ms")
                .map(v -> Duration.ofMillis(Math.min(nonNegative("timeout_ms", v), MediaHandler.MAX_WAIT.toMillis())))
                .orElse(DEFAULT_WAIT);
    }

    static long nonNegative(String name, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw MatrixException.invalidParam(name, "must not be negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name, "must be an integer");
        }
    }

    static boolean bool(MatrixRequest request, String name) {
        return bool(request, name, false);
    }

    static boolean bool(MatrixRequest request, String name, boolean absent) {
        return request.queryParam(name)
                .map(v -> switch (v) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw MatrixException.invalidParam(name, "must be true or false");
                })
                .orElse(absent);
    }
}
