package dev.myelin.server.handler.space;

import dev.myelin.core.cache.FutureCache;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.error.MatrixException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a paginated walk of a space hierarchy stopped, kept under an opaque {@code next_batch}
 * token for {@link #KEPT_FOR} (as Synapse keeps them). A token is tied to the user, the space,
 * {@code suggested_only} and {@code max_depth} it was made for: used with others, or unknown or
 * expired, it is 400 {@code M_INVALID_PARAM}. Using it again gives the same page.
 */
final class HierarchyPages {
    /** How long a token can be used. */
    static final Duration KEPT_FOR = Duration.ofMinutes(5);

    private final SecureRandom random = new SecureRandom();
    private final FutureCache<String, Page> pages;

    /**
     * A room still to visit: its id, the servers its link named, how deep it is below the space,
     * and its summary when another server already gave it.
     */
    record Queued(
            RoomId room,
            List<ServerName> via,
            int depth,
            @Nullable SpaceRoomSummary known) {
        Queued {
            via = List.copyOf(via);
        }
    }

    /** A walk to continue: what it was asked with, the rooms it has been through and those left. */
    record Page(
            UserId user,
            RoomId space,
            boolean suggestedOnly,
            OptionalInt maxDepth,
            Set<RoomId> processed,
            List<Queued> queue) {
        Page {
            processed = Set.copyOf(processed);
            queue = List.copyOf(queue);
        }
    }

    HierarchyPages(Clock clock) {
        this.pages = FutureCache.builder("space-hierarchy-pages")
                .maximumSize(10_000)
                .expireAfterWrite(KEPT_FOR)
                .clock(clock)
                .build();
    }

    /** Keeps {@code page} and returns its token. */
    String save(Page page) {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pages.put(token, page);
        return token;
    }

    /** The page {@code token} continues, when it was made for the same request. */
    Page resume(String token, UserId user, RoomId space, boolean suggestedOnly, OptionalInt maxDepth) {
        Page page = pages.getIfPresent(token)
                .filter(f -> f.isDone() && !f.isCompletedExceptionally())
                .map(f -> f.join())
                .orElseThrow(() -> MatrixException.invalidParam("from", "Unknown pagination token"));
        if (!page.user().equals(user) || !page.space().equals(space)) {
            throw MatrixException.invalidParam("from", "Unknown pagination token");
        }
        if (page.suggestedOnly() != suggestedOnly || !page.maxDepth().equals(maxDepth)) {
            throw MatrixException.invalidParam(
                    "from", "suggested_only and max_depth cannot change on paginated requests");
        }
        return page;
    }
}
