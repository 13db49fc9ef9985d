package dev.myelin.server.handler.media;

import dev.myelin.http.error.MatrixException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The media store on disk ({@code media_store_path}). Files are addressed by media id only,
 * never by anything a client names: {@code local_content/ab/cd/efgh...} for an upload and
 * {@code local_thumbnails/ab/cd/efgh.../96-96-crop.png} for its thumbnails; cached copies of other
 * servers' media and their thumbnails likewise under {@code remote_content/} and {@code
 * remote_thumbnails/}, by a random id of this server's choosing. Everything is first
 * written to {@code tmp/} and then moved into place, so a file under its final name is complete.
 */
public final class MediaFiles {
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public MediaFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where the content of {@code id} lives (whether or not it exists). */
    public Path content(MediaId id) {
        return root.resolve("local_content").resolve(shard(id));
    }

    /**
     * Removes the content of upload {@code id} and every thumbnail made of it, whichever exist
     * (an admin's deletion: its rows are gone already, so nothing serves them meanwhile).
     */
    public void deleteLocal(MediaId id) {
        try {
            Files.deleteIfExists(content(id));
            Path thumbnails = root.resolve("local_thumbnails").resolve(shard(id));
            if (Files.isDirectory(thumbnails)) {
                try (java.util.stream.Stream<Path> files = Files.list(thumbnails)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(thumbnails);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting media " + id.value(), e);
        }
    }

    /** Where a thumbnail of {@code id} lives; {@code name} is built by the server, never by a client. */
    Path thumbnail(MediaId id, String name) {
        return root.resolve("local_thumbnails").resolve(shard(id)).resolve(name);
    }

    /** Where the cached copy of another server's media stored under {@code filesystemId} lives. */
    Path remoteContent(MediaId filesystemId) {
        return root.resolve("remote_content").resolve(shard(filesystemId));
    }

    /** Where a thumbnail of a cached copy lives; {@code name} is built by the server. */
    Path remoteThumbnail(MediaId filesystemId, String name) {
        return root.resolve("remote_thumbnails").resolve(shard(filesystemId)).resolve(name);
    }

    private static Path shard(MediaId id) {
        String v = id.value();
        return v.length() < 5 ? Path.of("short", v) : Path.of(v.substring(0, 2), v.substring(2, 4), v.substring(4));
    }

    /** A file received into {@code tmp/}, with its size. */
    public record Received(Path file, long length) {}

    /**
     * Copies {@code in} into a new temporary file, failing with 413 {@code M_TOO_LARGE} (and
     * deleting the file) as soon as more than {@code limit} bytes arrive. Never holds more than
     * one buffer of the body in memory.
     */
    public Received receive(InputStream in, long limit) {
        Path tmp = createTemp();
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw MatrixException.tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
            done = true;
            return new Received(tmp, total);
        } catch (IOException e) {
            throw new UncheckedIOException("receiving media", e);
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Writes {@code bytes} into a new temporary file. */
    Received receive(byte[] bytes) {
        return receive(bytes, 0, bytes.length);
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset} into a new temporary file. */
    Received receive(byte[] bytes, int offset, int length) {
        Path tmp = createTemp();
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(bytes, offset, length);
            return new Received(tmp, length);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("writing media", e);
        }
    }

    /** Moves a received file to {@code target}, replacing nothing a reader could see half-written. */
    void moveIntoPlace(Path tmp, Path target) {
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("storing media", e);
        }
    }

    private Path createTemp() {
        try {
            Path dir = root.resolve("tmp");
            Files.createDirectories(dir);
            return Files.createTempFile(dir, "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temporary media file under " + root, e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray temporary file is harmless
        }
    }
}
