package dev.myelin.http.server;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.MimeTypes;

/**
 * Endpoints serving static files, e.g. a landing page at {@code /} or client assets under
 * {@code /static/}: {@code GET} (and so {@code HEAD}) of {@code prefix + path}, without auth.
 *
 * <pre>{@code
 * router.register(StaticFiles.directory("/", Path.of("/var/lib/myelin/www")));
 * router.register(StaticFiles.classpath("/_matrix/static/", StaticFiles.class.getClassLoader(), "web"));
 * }</pre>
 *
 * <p>Behaviour:
 * <ul>
 *   <li>The content type comes from the file extension (UTF-8 for text types), otherwise
 *       {@code application/octet-stream}; {@code X-Content-Type-Options: nosniff} is always set.
 *   <li>A path ending in {@code /} serves that directory's {@code index.html}; a directory asked
 *       for without the slash is redirected (301) to it, so relative links in the page work.
 *   <li>Only files under the root are served: a segment that is empty, starts with {@code .}
 *       (so {@code ..}, {@code .}, and dotfiles), or decodes to contain {@code /}, {@code \} or
 *       NUL is refused, and a file whose real path (symlinks followed) is outside the root is
 *       refused; all are 404 {@code M_NOT_FOUND}, as is a missing file. (Jetty itself already
 *       answers some such URIs, like {@code %2e%2e}, with 400.)
 *   <li>Paths whose first segment is {@code _matrix} or {@code _synapse} are API paths, never
 *       files: with a mount at {@code /}, an unknown API endpoint still answers 404
 *       {@code M_UNRECOGNIZED}, which clients rely on to detect unsupported features.
 * </ul>
 *
 * <p>The route is a tail template ({@code prefix{file...}}), so every other endpoint registered on
 * the router takes precedence over it.
 */
public final class StaticFiles {

    private StaticFiles() {}

    /**
     * Serves the files under {@code root} at {@code pathPrefix}.
     *
     * @param pathPrefix where the directory appears, e.g. {@code /} or {@code /static/}
     * @throws IllegalArgumentException if {@code root} is not a readable directory
     */
    public static Endpoint directory(String pathPrefix, Path root) {
        Objects.requireNonNull(root, "root");
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("static file root " + root + " does not exist", e);
        }
        if (!Files.isDirectory(real)) {
            throw new IllegalArgumentException("static file root " + root + " is not a directory");
        }
        return new FilesEndpoint(normalize(pathPrefix), new DirectorySource(real));
    }

    /**
     * Serves the class path resources under {@code resourcePrefix} (e.g. {@code web} for
     * {@code web/index.html} in a jar) at {@code pathPrefix}.
     */
    public static Endpoint classpath(String pathPrefix, ClassLoader loader, String resourcePrefix) {
        Objects.requireNonNull(loader, "loader");
        String base = Objects.requireNonNull(resourcePrefix, "resourcePrefix").replaceAll("^/+|/+$", "");
        return new FilesEndpoint(normalize(pathPrefix), new ClasspathSource(loader, base));
    }

    private static String normalize(String prefix) {
        Objects.requireNonNull(prefix, "pathPrefix");
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("path prefix must start with '/': " + prefix);
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** A found file: how long it is and how to read it. */
    private record Found(OptionalLong length, Opener opener) {}

    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    /** Where files come from; {@code path} is a list of already-validated segments. */
    private sealed interface Source {
        /** The regular file at {@code path}, if there is one. */
        Optional<Found> file(List<String> path);

        /** Whether {@code path} is a directory with an index. */
        boolean isDirectoryWithIndex(List<String> path);
    }

    private record DirectorySource(Path root) implements Source {
        @Override
        public Optional<Found> file(List<String> path) {
            Path target = resolve(path);
            try {
                Path real = target.toRealPath();
                if (!real.startsWith(root) || !Files.isRegularFile(real) || !Files.isReadable(real)) {
                    return Optional.empty();
                }
                long length = Files.size(real);
                return Optional.of(new Found(OptionalLong.of(length), () -> Files.newInputStream(real)));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean isDirectoryWithIndex(List<String> path) {
            List<String> index = new ArrayList<>(path);
            index.add("index.html");
            return Files.isDirectory(resolve(path)) && file(index).isPresent();
        }

        private Path resolve(List<String> path) {
            Path target = root;
            for (String segment : path) {
                target = target.resolve(segment);
            }
            return target;
        }
    }

    private record ClasspathSource(ClassLoader loader, String base) implements Source {
        @Override
        public Optional<Found> file(List<String> path) {
            String name = name(path);
            URL url = loader.getResource(name);
            if (url == null || isDirectoryWithIndex(path) || isFileDirectory(url)) {
                return Optional.empty();
            }
            return Optional.of(new Found(OptionalLong.empty(), url::openStream));
        }

        @Override
        public boolean isDirectoryWithIndex(List<String> path) {
            return loader.getResource(name(path) + "/index.html") != null;
        }

        private String name(List<String> path) {
            String joined = String.join("/", path);
            return base.isEmpty() ? joined : base + "/" + joined;
        }

        private static boolean isFileDirectory(URL url) {
            try {
                return url.getProtocol().equals("file") && Files.isDirectory(Path.of(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return true;
            }
        }
    }

    private record FilesEndpoint(String prefix, Source source) implements Endpoint {
        @Override
        public EndpointSpec<?, ?> spec() {
            return EndpointSpec.get(prefix + "{file...}", NoBody.class).noAuth();
        }

        @Override
        public MatrixResponse handle(MatrixRequest request) {
            String raw = request.rawPath();
            if (!raw.startsWith(prefix)) {
                // The mount point itself without its slash, e.g. /static for /static/.
                return redirect(raw + "/");
            }
            String[] rawSegments = raw.substring(prefix.length()).split("/", -1);
            List<String> path = new ArrayList<>();
            for (int i = 0; i < rawSegments.length; i++) {
                boolean last = i == rawSegments.length - 1;
                if (last && rawSegments[i].isEmpty()) {
                    break;
                }
                path.add(segment(rawSegments[i]));
            }
            if (!path.isEmpty()
                    && (path.getFirst().equals("_matrix") || path.getFirst().equals("_synapse"))) {
                throw MatrixException.unrecognized();
            }
            boolean directory = raw.endsWith("/");
            if (directory) {
                path.add("index.html");
            } else if (source.isDirectoryWithIndex(path)) {
                return redirect(raw + "/");
            }
            Found found = source.file(path).orElseThrow(StaticFiles::notFound);
            MatrixResponse.StreamWriter writer = out -> {
                try (InputStream in = found.opener().open()) {
                    in.transferTo(out);
                }
            };
            return MatrixResponse.stream(200, contentType(path.getLast()), found.length(), writer)
                    .withHeader("X-Content-Type-Options", "nosniff");
        }

        private static MatrixResponse redirect(String location) {
            return MatrixResponse.empty(301).withHeader("Location", location);
        }

        private static String segment(String raw) {
            String s = Router.decodeSegment(raw).orElseThrow(StaticFiles::notFound);
            if (s.isEmpty()
                    || s.startsWith(".")
                    || s.indexOf('/') >= 0
                    || s.indexOf('\\') >= 0
                    || s.indexOf('\0') >= 0) {
                throw notFound();
            }
            return s;
        }
    }

    private static MatrixException notFound() {
        return MatrixException.notFound("File not found");
    }

    static String contentType(String fileName) {
        String type = MimeTypes.DEFAULTS.getMimeByExtension(fileName.toLowerCase(Locale.ROOT));
        if (type == null) {
            return "application/octet-stream";
        }
        boolean text = type.startsWith("text/")
                || type.equals("application/javascript")
                || type.equals("application/json")
                || type.equals("image/svg+xml");
        return text && !type.contains("charset") ? type + ";charset=utf-8" : type;
    }
}
