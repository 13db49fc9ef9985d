package dev.myelin.server.handler.media;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.cache.CacheKey;
import dev.myelin.core.cache.FutureCache;
import dev.myelin.core.id.MxcUri;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.client.BlockedDestinationException;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * URL previews: fetches a page through the outbound client, whose IP blocklist refuses private
 * and reserved addresses (literal, by DNS and after redirects), reads its OpenGraph tags with
 * jsoup, and stores its {@code og:image} as local media. Results are kept for an hour per URL and
 * {@code ts} rounded to the hour; a failed preview is not kept.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediapreview_url">preview_url</a>
 */
public final class UrlPreviewHandler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UrlPreviewHandler.class);
    static final Duration CACHE_FOR = Duration.ofHours(1);
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_TEXT = 500;
    private static final Pattern CHARSET = Pattern.compile("charset=\"?([A-Za-z0-9_.:-]+)", Pattern.CASE_INSENSITIVE);

    private final MatrixHttpClient client;
    private final MediaHandler media;
    private final Clock clock;
    private final FutureCache<CacheKey, ObjectNode> cache;

    public UrlPreviewHandler(MatrixHttpClient client, MediaHandler media, Clock clock) {
        this.client = client;
        this.media = media;
        this.clock = clock;
        this.cache = FutureCache.builder("url-previews")
                .maximumSize(10_000)
                .expireAfterWrite(CACHE_FOR)
                .clock(clock)
                .build();
    }

    /** The preview of {@code url} as it was around {@code ts} (ms), or now. */
    public ObjectNode preview(UserId requester, String url, OptionalLong ts) {
        URI uri = parse(url);
        long hour = (ts.isPresent() ? ts.getAsLong() : clock.nowMillis()) / CACHE_FOR.toMillis();
        try {
            return cache.get(CacheKey.of(uri.toString(), hour), key -> fetch(requester, uri))
                    .join()
                    .deepCopy();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static URI parse(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            throw MatrixException.invalidParam("url", "too long");
        }
        try {
            URI uri = new URI(url);
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                throw MatrixException.invalidParam("url", "must be an absolute http or https URL");
            }
            // the fragment is never sent and must not split the cache
            return new URI(
                    uri.getScheme(),
                    uri.getRawAuthority() == null ? null : uri.getAuthority(),
                    uri.getPath(),
                    uri.getQuery(),
                    null);
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("url", "not a valid URL");
        }
    }

    private ObjectNode fetch(UserId requester, URI uri) {
        OutboundResponse response = get(uri);
        String type = response.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        ObjectNode og = JsonNodeFactory.instance.objectNode();
        if (type.startsWith("text/html") || type.startsWith("application/xhtml+xml")) {
            Document doc = Jsoup.parse(new String(response.body(), charset(type, response.body())), uri.toString());
            openGraph(doc, og);
            Optional.ofNullable(og.get("og:image")).map(n -> n.asText()).ifPresent(image -> {
                og.remove("og:image");
                resolve(uri, image).ifPresent(imageUri -> storeImage(requester, imageUri, og));
            });
        } else if (type.startsWith("image/")) {
            storeImage(requester, response, uri, og);
        }
        return og;
    }

    private OutboundResponse get(URI uri) {
        try {
            OutboundResponse response = client.send(new OutboundRequest(
                    "GET",
                    uri,
                    Map.of("Accept", List.of("text/html, application/xhtml+xml, image/*;q=0.9, */*;q=0.1")),
                    Optional.empty()));
            if (response.status() / 100 != 2) {
                throw new MatrixException(
                        502, ErrorCode.UNKNOWN, "Failed to download the page (HTTP " + response.status() + ")");
            }
            return response;
        } catch (BlockedDestinationException e) {
            // expected whenever someone previews a private address: one line, no trace
            LOG.info("URL preview of {} refused: {}", uri.getHost(), e.getMessage());
            throw new MatrixException(403, ErrorCode.UNKNOWN, "IP address blocked by the URL preview blocklist");
        } catch (OutboundHttpException e) {
            throw new MatrixException(502, ErrorCode.UNKNOWN, "Failed to download the page: " + e.getMessage());
        }
    }

    /** {@code og:*} meta tags, with {@code <title>} and the description meta tag as fallbacks. */
    static void openGraph(Document doc, ObjectNode og) {
        for (Element meta : doc.select("meta[property^=og:], meta[name^=og:]")) {
            String key = meta.hasAttr("property") ? meta.attr("property") : meta.attr("name");
            String content = meta.attr("content");
            if (!key.isEmpty() && !content.isEmpty() && !og.has(key) && key.length() <= 64) {
                og.put(key, truncate(content));
            }
        }
        if (!og.has("og:title")) {
            String title = doc.title().strip();
            if (!title.isEmpty()) {
                og.put("og:title", truncate(title));
            }
        }
        if (!og.has("og:description")) {
            Element description = doc.selectFirst("meta[name=description]");
            if (description != null && !description.attr("content").isBlank()) {
                og.put("og:description", truncate(description.attr("content").strip()));
            }
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static Optional<URI> resolve(URI page, String image) {
        try {
            URI resolved = page.resolve(image.strip());
            String scheme = Optional.ofNullable(resolved.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            return scheme.equals("http") || scheme.equals("https") ? Optional.of(resolved) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Fetches and stores a page's image; a failure only leaves the image out of the preview. */
    private void storeImage(UserId requester, URI imageUri, ObjectNode og) {
        try {
            storeImage(requester, get(imageUri), imageUri, og);
        } catch (MatrixException e) {
            // the preview is still useful without its image
        }
    }

    private void storeImage(UserId requester, OutboundResponse response, URI uri, ObjectNode og) {
        String type = response.header("content-type")
                .map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
        Optional<Thumbnailer.ImageInfo> info = Thumbnailer.probe(response.body());
        if (!type.startsWith("image/") || info.isEmpty()) {
            return;
        }
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        Optional<String> name = Optional.of(path.substring(path.lastIndexOf('/') + 1))
                .filter(n -> !n.isBlank() && n.length() <= 255 && n.chars().noneMatch(c -> c < 0x20));
        MxcUri mxc = media.storeBytes(requester, response.body(), type, name);
        og.put("og:image", mxc.toString());
        og.put("og:image:type", type);
        og.put("og:image:width", info.get().width());
        og.put("og:image:height", info.get().height());
        og.put("matrix:image:size", response.body().length);
    }

    private static Charset charset(String contentType, byte[] body) {
        Matcher header = CHARSET.matcher(contentType);
        if (header.find()) {
            return charsetOr(header.group(1));
        }
        // a <meta charset> in the first kilobytes
        String head = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher meta = CHARSET.matcher(head);
        Matcher meta5 = Pattern.compile("<meta\\s+charset=\"?([A-Za-z0-9_.:-]+)", Pattern.CASE_INSENSITIVE)
                .matcher(head);
        if (meta5.find()) {
            return charsetOr(meta5.group(1));
        }
        return meta.find() ? charsetOr(meta.group(1)) : StandardCharsets.UTF_8;
    }

    private static Charset charsetOr(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
