package dev.myelin.server.api.admin.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.media.AdminMedia;
import dev.myelin.storage.media.MediaOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_synapse/admin/v1/users/{userId}/media}: a local user's uploads for the server's
 * admins, paged with {@code from} and {@code limit} (default 100), ordered by {@code order_by}
 * ({@code created_ts} unless given) in {@code dir} ({@code f}, or {@code b}; newest first when
 * neither is given), in Synapse's shape, which synadm's {@code media list} reads.
 */
public final class UserMediaEndpoint extends JsonEndpoint<NoBody, UserMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/users/{userId}/media", Response.class);

    /** One upload; absent values are null, as Synapse sends them. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Media(
            String mediaId,
            String mediaType,
            long mediaLength,
            @Nullable String uploadName,
            long createdTs,
            @Nullable Long lastAccessTs,
            @Nullable String quarantinedBy,
            boolean safeFromQuarantine) {
        static Media of(AdminMedia m) {
            return new Media(
                    m.mediaId(),
                    m.mediaType(),
                    m.mediaLength(),
                    m.uploadName().orElse(null),
                    m.createdTs(),
                    m.lastAccessTs().isPresent() ? m.lastAccessTs().getAsLong() : null,
                    m.quarantinedBy().orElse(null),
                    m.safeFromQuarantine());
        }
    }

    /** A page of uploads, how many there are, and where the next page starts (absent on the last). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(List<Media> media, @Nullable Long nextToken, long total) {}

    private final ServerAdmins admins;
    private final MediaAdmin media;
    private final UserStore users;
    private final ServerName serverName;

    public UserMediaEndpoint(ServerAdmins admins, MediaAdmin media, UserStore users, ServerName serverName) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
        this.users = users;
        this.serverName = serverName;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        UserId user = AdminParams.localUser(request, serverName, users);
        long from = AdminParams.number(request, "from", 0);
        long limit = AdminParams.number(request, "limit", 100);
        if (limit == 0) {
            throw MatrixException.invalidParam("limit", "must be positive");
        }
        MediaOrder order = request.queryParam("order_by")
                .map(name -> MediaOrder.named(name)
                        .orElseThrow(() -> MatrixException.invalidParam("order_by", "unknown order " + name)))
                .orElse(MediaOrder.CREATED_TS);
        boolean backwards = switch (request.queryParam("dir")
                .orElse(request.queryParam("order_by").isEmpty() ? "b" : "f")) {
            case "f" -> false;
            case "b" -> true;
            default -> throw MatrixException.invalidParam("dir", "must be f or b");
        };
        MediaAdmin.Page page = media.uploadsBy(user, from, (int) Math.min(1000, limit), order, backwards);
        return new Response(
                page.media().stream().map(Media::of).toList(), page.nextToken().orElse(null), page.total());
    }
}
