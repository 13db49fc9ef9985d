package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.id.MxcUri;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.storage.media.AdminMedia;
import dev.myelin.storage.media.MediaAdminStore;
import dev.myelin.storage.media.MediaOrder;
import dev.myelin.storage.media.RemoteMedia;
import dev.myelin.storage.media.RemoteMediaStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The media admin API's operations, as Synapse's: a user's uploads, quarantine (by media, room or
 * uploader; protected uploads are spared by room and uploader), protection, information and
 * deletion of local media (rows, then files).
 */
public final class MediaAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MediaAdminStore store;
    private final RemoteMediaStore remote;
    private final MediaFiles files;
    private final ServerName serverName;

    public MediaAdmin(MediaAdminStore store, RemoteMediaStore remote, MediaFiles files, ServerName serverName) {
        this.store = store;
        this.remote = remote;
        this.files = files;
        this.serverName = serverName;
    }

    /** One page of a user's uploads, the total, and the next page's offset if there is one. */
    public record Page(List<AdminMedia> media, long total, Optional<Long> nextToken) {}

    /** What a deletion removed. */
    public record Deleted(List<String> deletedMedia, int total) {}

    /** The mxc URIs of a room's events, split by whose they are. */
    public record RoomMedia(List<String> local, List<String> remote) {}

    /** {@code user}'s uploads, {@code limit} from {@code from}. */
    public Page uploadsBy(UserId user, long from, int limit, MediaOrder order, boolean backwards) {
        List<AdminMedia> page = store.uploadsBy(user, order, backwards, from, limit);
        long total = store.countBy(user);
        Optional<Long> next =
                from + page.size() < total && !page.isEmpty() ? Optional.of(from + page.size()) : Optional.empty();
        return new Page(page, total, next);
    }

    /** Deletes every upload of {@code user}. */
    public Deleted deleteUploadsBy(UserId user) {
        return deleteAll(store.idsBy(user));
    }

    /** Deletes one local upload: 400 for another server's media, 404 for an unknown one. */
    public Deleted delete(String server, String mediaId) {
        requireLocal(server, "Can only delete local media");
        MediaId id = MediaId.parse(mediaId);
        if (!store.delete(id.value())) {
            throw MatrixException.notFound("Unknown media");
        }
        files.deleteLocal(id);
        return new Deleted(List.of(id.value()), 1);
    }

    /** Deletes uploads last used before {@code beforeTs} and larger than {@code sizeGt}, protected ones kept. */
    public Deleted deleteOld(long beforeTs, long sizeGt, boolean keepProfiles) {
        return deleteAll(store.deletable(beforeTs, sizeGt, keepProfiles, "mxc://" + serverName.value() + "/"));
    }

    private Deleted deleteAll(List<String> mediaIds) {
        List<String> deleted = new ArrayList<>();
        for (String mediaId : mediaIds) {
            if (store.delete(mediaId)) {
                deleted.add(mediaId);
                if (MxcUri.isValidMediaId(mediaId)) {
                    files.deleteLocal(new MediaId(mediaId));
                }
            }
        }
        return new Deleted(deleted, deleted.size());
    }

    /** Quarantines ({@code by} an admin) or releases ({@code by} empty) one media item; 404 when unknown here. */
    public void setQuarantined(String server, String mediaId, Optional<UserId> by) {
        String admin = by.map(UserId::toString).orElse(null);
        boolean found = isLocal(server)
                ? store.setQuarantined(mediaId, admin)
                : store.setRemoteQuarantined(server, mediaId, admin);
        if (!found) {
            throw MatrixException.notFound("Unknown media");
        }
    }

    /** Protects an upload from quarantine by room or uploader, or lifts that; 404 when unknown. */
    public void setProtected(String mediaId, boolean safe) {
        if (!store.setProtected(mediaId, safe)) {
            throw MatrixException.notFound("Unknown media");
        }
    }

    /** Quarantines the media of a room's events (protected uploads excepted); how many. */
    public int quarantineRoom(RoomId room, UserId by) {
        RoomMedia media = roomMedia(room);
        List<String> localIds = new ArrayList<>();
        for (String uri : media.local()) {
            localIds.add(MxcUri.parse(uri).mediaId());
        }
        int count = store.quarantineUnprotected(localIds, by.toString());
        for (String uri : media.remote()) {
            MxcUri mxc = MxcUri.parse(uri);
            if (store.setRemoteQuarantined(mxc.server().value(), mxc.mediaId(), by.toString())) {
                count++;
            }
        }
        return count;
    }

    /** Quarantines the uploads of a local user (protected ones excepted); how many. */
    public int quarantineUploadsBy(UserId user, UserId by) {
        return store.quarantineUploadsBy(user, by.toString());
    }

    /** The mxc URIs ({@code url}, {@code info.thumbnail_url}) of a room's unredacted events; 404 for an unknown room. */
    public RoomMedia roomMedia(RoomId room) {
        Set<String> local = new LinkedHashSet<>();
        Set<String> remoteUris = new LinkedHashSet<>();
        int[] events = {0};
        store.roomEvents(room, json -> {
            events[0]++;
            JsonNode content;
            try {
                content = JSON.readTree(json).path("content");
            } catch (IOException e) {
                return; // stored events are JSON; a row that is not has no media to list
            }
            for (JsonNode url :
                    List.of(content.path("url"), content.path("info").path("thumbnail_url"))) {
                mxc(url).ifPresent(uri -> (isLocal(uri.server().value()) ? local : remoteUris).add(uri.toString()));
            }
        });
        if (events[0] == 0) {
            throw MatrixException.notFound("Room not found");
        }
        return new RoomMedia(List.copyOf(local), List.copyOf(remoteUris));
    }

    private static Optional<MxcUri> mxc(JsonNode url) {
        if (!url.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MxcUri.parse(url.asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** What the admin API shows of one media item; 404 when unknown here. */
    public MediaInfo info(String server, String mediaId) {
        if (isLocal(server)) {
            AdminMedia m = store.local(mediaId).orElseThrow(() -> MatrixException.notFound("Unknown media"));
            return new MediaInfo(
                    serverName.value(),
                    m.userId(),
                    m.mediaId(),
                    m.mediaType(),
                    m.mediaLength(),
                    m.uploadName().orElse(null),
                    m.createdTs(),
                    null,
                    m.lastAccessTs().isPresent() ? m.lastAccessTs().getAsLong() : null,
                    m.quarantinedBy().orElse(null),
                    m.authenticated(),
                    m.safeFromQuarantine());
        }
        ServerName origin;
        try {
            origin = ServerName.parse(server);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("serverName", "not a server name");
        }
        RemoteMedia m = remote.get(origin, mediaId).orElseThrow(() -> MatrixException.notFound("Unknown media"));
        var lastAccess = store.remoteLastAccess(server, mediaId);
        return new MediaInfo(
                server,
                null,
                m.mediaId(),
                m.contentType(),
                m.length(),
                m.uploadName().orElse(null),
                m.cachedAt().toEpochMilli(),
                m.filesystemId(),
                lastAccess.isPresent() ? lastAccess.getAsLong() : null,
                m.quarantinedBy().map(UserId::toString).orElse(null),
                m.authenticated(),
                null);
    }

    /** Synapse's {@code media_info} of one item; {@code userId} is null for remote media. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    public record MediaInfo(
            String mediaOrigin,
            String userId,
            String mediaId,
            String mediaType,
            long mediaLength,
            String uploadName,
            long createdTs,
            String filesystemId,
            Long lastAccessTs,
            String quarantinedBy,
            boolean authenticated,
            Boolean safeFromQuarantine) {}

    private boolean isLocal(String server) {
        return server.equals(serverName.value());
    }

    private void requireLocal(String server, String message) {
        if (!isLocal(server)) {
            throw MatrixException.invalidParam("serverName", message);
        }
    }
}
