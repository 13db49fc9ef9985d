package dev.myelin.http.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The table of {@link Endpoint}s a server dispatches to, by method and path template.
 *
 * <p>Registering the same method for the same path shape twice (parameter names do not matter)
 * fails immediately with {@link IllegalArgumentException}, so conflicting routes are found at
 * start-up. When several templates match a request, the one with a literal segment where the
 * other has a parameter (earliest such position) wins. A path no template matches is answered
 * 404 {@code M_UNRECOGNIZED}; a matching path without the requested method 405
 * {@code M_UNRECOGNIZED}; {@code OPTIONS} on any known path is a CORS preflight. {@code HEAD}
 * on a path with a {@code GET} endpoint (and no {@code HEAD} endpoint of its own) runs the
 * {@code GET} endpoint and sends its status and headers without the body.
 *
 * <p>A template may end in a tail parameter {@code {name...}} that matches all remaining
 * segments, including none (e.g. {@code /static/{file...}} for a directory of files). A tail
 * template is the least specific match, and a method it lacks does not make a path "known": a
 * {@code POST} that only a {@code GET} tail route matches is 404, not 405.
 *
 * <p>Registration is thread-safe but meant for start-up; lookups are lock-free.
 */
public final class Router {

    private final ReentrantLock lock = new ReentrantLock();
    /** Path shape to the endpoints registered on it; replaced wholesale on registration. */
    private volatile List<Route> routes = List.of();
    /** Path prefixes served as another prefix, e.g. a legacy API version; replaced wholesale. */
    private volatile Map<String, String> prefixAliases = Map.of();

    /**
     * Serves every path under {@code alias} as the same path under {@code target}, for requests
     * that match no endpoint directly: for example the legacy {@code /_matrix/client/r0/} prefix
     * that older clients still use as {@code /_matrix/client/v3/}. Both must end with '/'.
     *
     * @return this router, for chaining
     */
    public Router aliasPrefix(String alias, String target) {
        if (!alias.startsWith("/") || !alias.endsWith("/") || !target.startsWith("/") || !target.endsWith("/")) {
            throw new IllegalArgumentException("path prefixes must start and end with '/': " + alias + ", " + target);
        }
        lock.lock();
        try {
            Map<String, String> copy = new java.util.LinkedHashMap<>(prefixAliases);
            copy.put(alias, target);
            prefixAliases = Map.copyOf(copy);
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Adds an endpoint.
     *
     * @return this router, for chaining
     * @throws IllegalArgumentException if the template is malformed or the method and path are
     *     already registered
     */
    public Router register(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.method() == HttpMethod.OPTIONS) {
            throw new IllegalArgumentException("OPTIONS is answered by the router for CORS; do not register it");
        }
        PathTemplate template = PathTemplate.parse(endpoint.path());
        lock.lock();
        try {
            List<Route> copy = new ArrayList<>(routes);
            int index = -1;
            for (int i = 0; i < copy.size(); i++) {
                if (copy.get(i).shape.equals(template.shape())) {
                    index = i;
                }
            }
            Map<HttpMethod, Bound> byMethod = new EnumMap<>(HttpMethod.class);
            if (index >= 0) {
                byMethod.putAll(copy.get(index).byMethod);
            }
            Bound clash = byMethod.get(endpoint.method());
            if (clash != null) {
                throw new IllegalArgumentException("duplicate route " + endpoint.method() + " " + endpoint.path()
                        + " (already registered as " + clash.template.template() + ")");
            }
            byMethod.put(endpoint.method(), new Bound(template, endpoint));
            Route updated = new Route(template.shape(), template, byMethod);
            if (index >= 0) {
                copy.set(index, updated);
            } else {
                copy.add(updated);
            }
            copy.sort((a, b) -> PathTemplate.bySpecificity(a.sample, b.sample));
            routes = List.copyOf(copy);
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** Every registered endpoint. */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (Route r : routes) {
            r.byMethod.values().forEach(b -> all.add(b.endpoint));
        }
        return all;
    }

    /** The outcome of looking up a request. */
    sealed interface Match {
        /** No template matches the path. */
        record NotFound() implements Match {}

        /** The path is known, but not with this method. */
        record WrongMethod(Set<HttpMethod> allowed) implements Match {}

        /** The endpoint to call and its raw (still encoded) path parameters. */
        record Found(Endpoint endpoint, Map<String, String> rawParams) implements Match {}
    }

    /** Looks up {@code rawPath} (percent-encoded, starting with '/'). A null method means any. */
    Match match(HttpMethod method, String rawPath) {
        Match direct = matchDirect(method, rawPath);
        if (direct instanceof Match.NotFound) {
            for (Map.Entry<String, String> alias : prefixAliases.entrySet()) {
                if (rawPath.startsWith(alias.getKey())) {
                    return matchDirect(
                            method,
                            alias.getValue() + rawPath.substring(alias.getKey().length()));
                }
            }
        }
        return direct;
    }

    private Match matchDirect(HttpMethod method, String rawPath) {
        if (!rawPath.startsWith("/")) {
            return new Match.NotFound();
        }
        List<String> segments = Arrays.asList(rawPath.substring(1).split("/", -1));
        Set<HttpMethod> allowed = EnumSet.noneOf(HttpMethod.class);
        for (Route route : routes) {
            if (!route.sample.matches(segments)) {
                continue;
            }
            Bound bound = method == null ? route.byMethod.values().iterator().next() : route.byMethod.get(method);
            if (bound == null && method == HttpMethod.HEAD) {
                // HEAD is GET without the body, unless an endpoint registers HEAD itself.
                bound = route.byMethod.get(HttpMethod.GET);
            }
            if (bound == null) {
                // A tail route means "anything else under here": a method it lacks makes the path
                // unknown rather than known-with-another-method.
                if (!route.sample.tail()) {
                    allowed.addAll(route.byMethod.keySet());
                }
                continue;
            }
            return new Match.Found(bound.endpoint, bound.template.rawParams(segments));
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.WrongMethod(allowed);
    }

    /**
     * Percent-decodes one path segment as UTF-8. Unlike form decoding, '+' stays '+'.
     *
     * @return empty if the escapes are malformed or the bytes are not UTF-8
     */
    static Optional<String> decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return Optional.of(raw);
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                return Optional.empty();
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private record Bound(PathTemplate template, Endpoint endpoint) {}

    private record Route(String shape, PathTemplate sample, Map<HttpMethod, Bound> byMethod) {}
}
