package dev.myelin.server.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Local media: the rows of {@code local_media_repository} and its thumbnails, and their files. Both servers
 * shard content the same way ({@code local_content/ab/cd/rest}); thumbnails are renamed from Synapse's
 * {@code <w>-<h>-<type>-<subtype>-<method>} to Myelin's {@code <w>-<h>-<method>.<png|jpg>}. Rows whose file
 * is missing are not imported (the report counts them). Cached remote media is not carried over: Myelin
 * fetches it again when asked.
 */
final class MediaImport {
    private final ImportContext ctx;
    private final Path from;
    private final Path to;

    MediaImport(ImportContext ctx, Path from, Path to) {
        this.ctx = ctx;
        this.from = from;
        this.to = to;
    }

    void run() {
        Target t = ctx.target();
        Set<String> imported = new HashSet<>();
        Set<List<Object>> thumbnails = new HashSet<>();
        ctx.copy(
                "local_media_repository",
                "SELECT media_id, media_type, media_length, upload_name, user_id, created_ts, quarantined_by,"
                        + " authenticated, url_cache FROM local_media_repository",
                r -> {
                    String id = r.getString(1);
                    if (r.getString(9) != null) {
                        t.skip("URL preview cache entries (made again on demand)");
                        return;
                    }
                    Path file = from.resolve("local_content").resolve(shard(id));
                    if (!Files.isRegularFile(file)) {
                        t.skip("media whose file is missing from the media store");
                        return;
                    }
                    copy(file, to.resolve("local_content").resolve(shard(id)));
                    imported.add(id);
                    t.insert(
                            "local_media",
                            "media_id, media_type, media_length, upload_name, user_id, created_ts, quarantined_by,"
                                    + " authenticated",
                            id,
                            r.getString(2) == null ? "application/octet-stream" : r.getString(2),
                            r.getObject(3) == null ? Files.size(file) : r.getLong(3),
                            r.getString(4),
                            r.getString(5),
                            r.getLong(6),
                            r.getString(7),
                            r.getBoolean(8));
                });
        ctx.copy(
                "local_media_repository_thumbnails",
                "SELECT media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method,"
                        + " thumbnail_length FROM local_media_repository_thumbnails",
                r -> {
                    String id = r.getString(1);
                    if (!imported.contains(id)) {
                        t.skip("thumbnails of media not imported");
                        return;
                    }
                    int w = r.getInt(2);
                    int h = r.getInt(3);
                    String type = r.getString(4);
                    String method = r.getString(5);
                    Path file = from.resolve("local_thumbnails")
                            .resolve(shard(id))
                            .resolve(w + "-" + h + "-" + type.replace('/', '-') + "-" + method);
                    if (!Files.isRegularFile(file)) {
                        t.skip("thumbnails whose file is missing");
                        return;
                    }
                    if (!thumbnails.add(List.of(id, w, h, method))) {
                        t.skip("thumbnails of the same size and method in another type (Myelin keeps one)");
                        return;
                    }
                    String name = w + "-" + h + "-" + method + (type.equals("image/jpeg") ? ".jpg" : ".png");
                    copy(file, to.resolve("local_thumbnails").resolve(shard(id)).resolve(name));
                    t.insert(
                            "local_media_thumbnails",
                            "media_id, width, height, method, content_type, length, created_ts",
                            id,
                            w,
                            h,
                            method,
                            type,
                            r.getObject(6) == null ? Files.size(file) : r.getLong(6),
                            ctx.clock().nowMillis());
                });
    }

    private void copy(Path source, Path target) {
        if (ctx.target().dryRun()) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }

    /** Where both servers keep a media id's file: {@code ab/cd/rest} (Myelin: {@code short/<id>} under 5 characters). */
    private static Path shard(String id) {
        return id.length() < 5
                ? Path.of("short", id)
                : Path.of(id.substring(0, 2), id.substring(2, 4), id.substring(4));
    }
}
