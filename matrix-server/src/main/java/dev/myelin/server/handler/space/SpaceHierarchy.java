package dev.myelin.server.handler.space;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.error.MatrixException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code GET /rooms/{roomId}/hierarchy} for a user: a depth-first walk from a space along its
 * {@code m.space.child} links, page by page. Rooms this server is in are summarised from its own
 * state; the others are asked of the servers their links name ({@link RemoteHierarchies}), whose
 * answer also gives the children one level down. Rooms the user may not see are left out, and so
 * is everything below them; each room appears once however many spaces link to it. Children are
 * followed only below a space, and only to {@code max_depth}; a space at that depth is given
 * without its {@code children_state}.
 *
 * <p>The space itself must be one this server knows and the user may see: else 403
 * {@code M_FORBIDDEN}, whether or not the room exists, as Synapse answers.
 */
public final class SpaceHierarchy {
    /** Rooms per page when the client asks for none, and at most. */
    public static final int MAX_LIMIT = 50;

    private final LocalSpaces local;
    private final RemoteHierarchies remote;
    private final HierarchyPages pages;

    /** One page of the walk, and the token of the next when there is more. */
    public record Page(List<SpaceRoomSummary> rooms, Optional<String> nextBatch) {
        public Page {
            rooms = List.copyOf(rooms);
        }
    }

    /** What one room of the walk gave: its summary, and what its server told of its children. */
    private record Visit(SpaceRoomSummary summary, Map<RoomId, SpaceRoomSummary> children, Set<RoomId> inaccessible) {}

    public SpaceHierarchy(LocalSpaces local, RemoteHierarchies remote, Clock clock) {
        this.local = local;
        this.remote = remote;
        this.pages = new HierarchyPages(clock);
    }

    /**
     * The next page of the walk from {@code space}: at most {@code limit} rooms, after where
     * {@code from} stopped when given.
     */
    public Page walk(
            UserId user, RoomId space, boolean suggestedOnly, OptionalInt maxDepth, int limit, Optional<String> from) {
        boolean visible =
                local.find(space).filter(r -> local.visibleTo(user, r)).isPresent();
        if (!visible) {
            throw MatrixException.forbidden(
                    "User " + user + " not in room " + space + ", and room previews are disabled");
        }
        List<HierarchyPages.Queued> queue = new ArrayList<>();
        Set<RoomId> processed = new HashSet<>();
        if (from.isPresent()) {
            HierarchyPages.Page page = pages.resume(from.get(), user, space, suggestedOnly, maxDepth);
            queue.addAll(page.queue());
            processed.addAll(page.processed());
        } else {
            queue.add(new HierarchyPages.Queued(space, List.of(), 0, null));
        }
        List<SpaceRoomSummary> rooms = new ArrayList<>();
        while (!queue.isEmpty() && rooms.size() < limit) {
            HierarchyPages.Queued entry = queue.removeLast();
            if (!processed.add(entry.room())) {
                continue;
            }
            boolean deeper = maxDepth.isEmpty() || entry.depth() < maxDepth.getAsInt();
            Optional<Visit> visit =
                    visit(user, entry, suggestedOnly, deeper, entry.room().equals(space));
            if (visit.isEmpty()) {
                continue;
            }
            processed.addAll(visit.get().inaccessible());
            SpaceRoomSummary summary = visit.get().summary();
            rooms.add(summary);
            if (deeper) {
                List<SpaceChild> links = SpaceChild.linksIn(summary.childrenState(), suggestedOnly);
                for (SpaceChild link : links.reversed()) {
                    if (!processed.contains(link.room())) {
                        queue.add(new HierarchyPages.Queued(
                                link.room(),
                                link.via(),
                                entry.depth() + 1,
                                visit.get().children().get(link.room())));
                    }
                }
            }
        }
        Optional<String> next = queue.stream().anyMatch(q -> !processed.contains(q.room()))
                ? Optional.of(
                        pages.save(new HierarchyPages.Page(user, space, suggestedOnly, maxDepth, processed, queue)))
                : Optional.empty();
        return new Page(rooms, next);
    }

    private Optional<Visit> visit(
            UserId user, HierarchyPages.Queued entry, boolean suggestedOnly, boolean deeper, boolean isSpace) {
        RoomId room = entry.room();
        if (isSpace || local.isResident(room)) {
            return local.find(room)
                    .filter(r -> local.visibleTo(user, r))
                    .map(r -> new Visit(local.summary(r, suggestedOnly, deeper), Map.of(), Set.of()));
        }
        SpaceRoomSummary known = entry.known();
        Visit visit;
        if (known != null && (!deeper || !"m.space".equals(known.roomType()))) {
            visit = new Visit(known, Map.of(), Set.of());
        } else {
            Optional<RemoteHierarchies.Answer> answer = remote.fetch(room, entry.via(), suggestedOnly);
            if (answer.isEmpty()) {
                return Optional.empty();
            }
            visit = new Visit(
                    answer.get().room(), answer.get().children(), answer.get().inaccessible());
        }
        if (!local.visibleTo(user, visit.summary())) {
            return Optional.empty();
        }
        if (!deeper || !"m.space".equals(visit.summary().roomType())) {
            visit = new Visit(visit.summary().withChildrenState(List.of()), Map.of(), visit.inaccessible());
        }
        return Optional.of(visit);
    }
}
