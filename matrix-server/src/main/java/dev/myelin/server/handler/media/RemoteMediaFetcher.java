package dev.myelin.server.handler.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationTransport;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.client.ResponseTooLargeException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches another server's media over federation: {@code GET /_matrix/federation/v1/media/download}
 * (signed), following a {@code Location} part with a plain GET, and only when the server answers
 * {@code 404 M_UNRECOGNIZED} the deprecated {@code /_matrix/media/v3/download} with {@code
 * allow_remote=false}, as the spec requires. Every answer is read up to {@code max_upload_size}
 * (plus the multipart framing) and no further: a larger one is aborted while it arrives.
 *
 * <p>Failures become the errors a client sees: the remote's 404 is 404 {@code M_NOT_FOUND}; its
 * 504 {@code M_NOT_YET_UPLOADED} passes through; media over the limit is 502 {@code M_TOO_LARGE}
 * (the spec's answer for remote media too large to proxy); an unreachable server, any other error
 * status and an answer that is not the multipart the spec describes are 502 {@code M_UNKNOWN}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#content-repository">content repository</a>
 */
final class RemoteMediaFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteMediaFetcher.class);
    /** Room for the multipart framing and metadata around media of the largest allowed size. */
    static final int MULTIPART_SLACK = 64 * 1024;

    private static final int MAX_REDIRECTS = 5;

    private final FederationClient client;
    private final FederationTransport transport;
    private final EndpointSpec<NoBody, NoBody> legacyDownload;
    private final long maxBytes;

    /** The bytes of fetched media and what the remote said of them. */
    record Fetched(byte[] body, int offset, int length, String contentType, Optional<String> fileName) {}

    /**
     * @param client signed requests to other servers
     * @param transport plain requests, for a {@code Location} (its blocklist applies)
     * @param legacyDownload the deprecated {@code /_matrix/media/v3/download/{serverName}/{mediaId}}
     * @param maxBytes {@code max_upload_size}
     */
    RemoteMediaFetcher(
            FederationClient client,
            FederationTransport transport,
            EndpointSpec<NoBody, NoBody> legacyDownload,
            long maxBytes) {
        this.client = client;
        this.transport = transport;
        this.legacyDownload = legacyDownload;
        this.maxBytes = maxBytes;
    }

    /** Fetches {@code mxc://origin/mediaId}, asking the remote to wait up to {@code wait} for it. */
    Fetched download(ServerName origin, String mediaId, Duration wait) {
        long waitMs = wait.toMillis();
        try {
            OutboundResponse answer = client.exchange(
                    origin,
                    EndpointCall.of(FederationEndpoints.MEDIA_DOWNLOAD, mediaId).query("timeout_ms", waitMs),
                    limit(maxBytes + MULTIPART_SLACK));
            if (answer.status() == 404 && errcode(answer).equals(ErrorCode.UNRECOGNIZED.value())) {
                // a server older than the federation media endpoints
                OutboundResponse legacy = client.exchange(
                        origin,
                        EndpointCall.of(legacyDownload, origin.toString(), mediaId)
                                .query("allow_remote", "false")
                                .query("timeout_ms", waitMs),
                        limit(maxBytes));
                return plain(origin, legacy);
            }
            return multipart(origin, answer);
        } catch (FederationDeniedException e) {
            throw e.toMatrixException();
        } catch (ResponseTooLargeException e) {
            throw tooLarge();
        } catch (FederationUnreachableException | OutboundHttpException e) {
            LOG.info("fetching media {} from {} failed: {}", mediaId, origin, e.getMessage());
            throw failed();
        }
    }

    private Fetched multipart(ServerName origin, OutboundResponse answer) {
        checkStatus(origin, answer);
        MediaMultipart.MediaPart part;
        try {
            part = MediaMultipart.parse(answer.header("Content-Type").orElse(""), answer.body());
        } catch (MediaMultipart.MalformedException e) {
            LOG.info("{} answered a media download with a malformed body: {}", origin, e.getMessage());
            throw new MatrixException(
                    502, ErrorCode.UNKNOWN, "The remote server answered with a malformed multipart body");
        }
        Optional<String> location = part.header("location");
        if (location.isPresent()) {
            return follow(origin, location.get());
        }
        if (part.length() > maxBytes) {
            throw tooLarge();
        }
        return new Fetched(
                answer.body(),
                part.offset(),
                part.length(),
                type(part.header("content-type")),
                part.header("content-disposition").flatMap(RemoteMediaFetcher::fileName));
    }

    /** The {@code Location} of a multipart answer: fetched without signing, redirects followed. */
    private Fetched follow(ServerName origin, String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new MatrixException(502, ErrorCode.UNKNOWN, "The remote server redirected to an invalid URL");
        }
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                throw new MatrixException(502, ErrorCode.UNKNOWN, "The remote server redirected to an invalid URL");
            }
            OutboundResponse answer;
            try {
                answer = transport.send(OutboundRequest.get(uri), uri.getHost(), limit(maxBytes));
            } catch (ResponseTooLargeException e) {
                throw tooLarge();
            } catch (OutboundHttpException e) {
                LOG.info("fetching media of {} from {} failed: {}", origin, uri.getHost(), e.getMessage());
                throw failed();
            }
            Optional<String> next = answer.header("Location");
            if (answer.status() / 100 == 3 && next.isPresent()) {
                try {
                    uri = uri.resolve(next.get());
                } catch (IllegalArgumentException e) {
                    throw failed();
                }
                continue;
            }
            return plain(origin, answer);
        }
        throw failed();
    }

    /** An answer whose body is the media itself. */
    private Fetched plain(ServerName origin, OutboundResponse answer) {
        checkStatus(origin, answer);
        if (answer.body().length > maxBytes) {
            throw tooLarge();
        }
        return new Fetched(
                answer.body(),
                0,
                answer.body().length,
                type(answer.header("Content-Type")),
                answer.header("Content-Disposition").flatMap(RemoteMediaFetcher::fileName));
    }

    private static void checkStatus(ServerName origin, OutboundResponse answer) {
        if (answer.status() == 200) {
            return;
        }
        String errcode = errcode(answer);
        if (answer.status() == 404) {
            throw MatrixException.notFound("Media not found on " + origin);
        }
        if (answer.status() == 504 && errcode.equals(ErrorCode.NOT_YET_UPLOADED.value())) {
            throw new MatrixException(504, ErrorCode.NOT_YET_UPLOADED, "Content has not yet been uploaded");
        }
        LOG.info("{} answered a media download with {} {}", origin, answer.status(), errcode);
        throw failed();
    }

    private static String errcode(OutboundResponse answer) {
        try {
            JsonNode body = EndpointJson.fromBytes(answer.body(), JsonNode.class);
            return body.path("errcode").asText("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The remote's {@code Content-Type} if it is a plausible media type, else {@code application/octet-stream}. */
    private static String type(Optional<String> header) {
        try {
            return MediaHandler.contentType(header);
        } catch (MatrixException e) {
            return MediaHandler.DEFAULT_CONTENT_TYPE;
        }
    }

    /**
     * The file name of a {@code Content-Disposition}: RFC 6266's {@code filename*=utf-8''...}
     * before a plain {@code filename=}; empty when absent or not acceptable as an upload name.
     */
    static Optional<String> fileName(String disposition) {
        Optional<String> plain = Optional.empty();
        for (String piece : disposition.split(";")) {
            String p = piece.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            if (name.equals("filename*")) {
                int quote = value.indexOf("''");
                if (quote > 0 && value.substring(0, quote).equalsIgnoreCase("utf-8")) {
                    try {
                        return acceptable(URLDecoder.decode(
                                value.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        // malformed percent-encoding: fall back to the plain name
                    }
                }
            } else if (name.equals("filename")) {
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                plain = acceptable(value);
            }
        }
        return plain;
    }

    private static Optional<String> acceptable(String name) {
        try {
            return MediaHandler.fileName(Optional.of(name));
        } catch (MatrixException e) {
            return Optional.empty();
        }
    }

    private static int limit(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8, bytes);
    }

    private MatrixException tooLarge() {
        return new MatrixException(
                502, ErrorCode.TOO_LARGE, "Remote media is larger than this server's limit of " + maxBytes + " bytes");
    }

    private static MatrixException failed() {
        return new MatrixException(502, ErrorCode.UNKNOWN, "Failed to fetch remote media");
    }
}
