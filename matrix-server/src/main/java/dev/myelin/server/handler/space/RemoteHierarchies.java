package dev.myelin.server.handler.space;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.cache.CacheKey;
import dev.myelin.core.cache.FutureCache;
import dev.myelin.core.concurrent.Futures;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.SpaceHierarchyResponse;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spaces and children this server is not in, asked of the servers their {@code m.space.child}
 * links name ({@code GET /_matrix/federation/v1/hierarchy/{roomId}}): at most {@link #MAX_SERVERS}
 * of them, one after another, each given {@link #TIMEOUT} to answer. A server that cannot be
 * reached, answers with an error or with something that is not a hierarchy of the room asked about
 * is passed over. Answers are kept for {@link #CACHE_FOR} (as the spec asks and Synapse does), per
 * room and {@code suggested_only}.
 */
public final class RemoteHierarchies {
    /** How many of a link's servers are asked, as Synapse asks. */
    static final int MAX_SERVERS = 3;
    /** How long one server has to answer before the next is asked. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long an answer is kept. */
    static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(RemoteHierarchies.class);

    private final ServerName serverName;
    private final FederationClient federation;
    private final Clock clock;
    private final FutureCache<CacheKey, Answer> answers;

    /**
     * What another server told of a space: the space, the children the asker may see, and those
     * it may not.
     */
    record Answer(SpaceRoomSummary room, Map<RoomId, SpaceRoomSummary> children, Set<RoomId> inaccessible) {
        Answer {
            children = Map.copyOf(children);
            inaccessible = Set.copyOf(inaccessible);
        }
    }

    public RemoteHierarchies(ServerName serverName, FederationClient federation, Clock clock) {
        this.serverName = serverName;
        this.federation = federation;
        this.clock = clock;
        this.answers = FutureCache.builder("remote-space-hierarchies")
                .maximumSize(10_000)
                .expireAfterWrite(CACHE_FOR)
                .clock(clock)
                .build();
    }

    /** The first usable answer of {@code via}'s servers about {@code room}; empty when none gave one. */
    Optional<Answer> fetch(RoomId room, List<ServerName> via, boolean suggestedOnly) {
        try {
            return Optional.ofNullable(Futures.await(
                    answers.get(CacheKey.of(room.value(), suggestedOnly), key -> ask(room, via, suggestedOnly))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Asks each server in turn; null (which is not kept) when none answers usably. */
    private Answer ask(RoomId room, List<ServerName> via, boolean suggestedOnly) {
        Set<ServerName> servers = new LinkedHashSet<>(via);
        servers.remove(serverName);
        for (ServerName server : servers.stream().limit(MAX_SERVERS).toList()) {
            EndpointCall<?, SpaceHierarchyResponse> call =
                    EndpointCall.of(FederationEndpoints.SPACE_HIERARCHY, room).query("suggested_only", suggestedOnly);
            CompletableFuture<SpaceHierarchyResponse> request = new CompletableFuture<>();
            Thread.ofVirtual().name("space-hierarchy-" + server).start(() -> {
                try {
                    request.complete(federation.send(server, call));
                } catch (RuntimeException e) {
                    request.completeExceptionally(e);
                }
            });
            try {
                Optional<Answer> answer = usable(room, Futures.await(Futures.timeout(request, TIMEOUT, clock)));
                if (answer.isPresent()) {
                    return answer.get();
                }
                LOG.info("{} answered /hierarchy of {} with another room", server, room);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (RuntimeException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                LOG.info("{} gave no hierarchy of {}: {}", server, room, cause.getMessage());
            }
        }
        return null;
    }

    /**
     * The answer when it is about {@code room}, keeping only the children, links and inaccessible
     * rooms that are well formed.
     */
    private static Optional<Answer> usable(RoomId room, SpaceHierarchyResponse response) {
        if (!room.value().equals(response.room().roomId())) {
            return Optional.empty();
        }
        Map<RoomId, SpaceRoomSummary> children = new LinkedHashMap<>();
        for (SpaceRoomSummary child : response.children()) {
            if (child != null && RoomId.isValid(child.roomId())) {
                children.putIfAbsent(RoomId.parse(child.roomId()), wellFormedLinks(child));
            }
        }
        Set<RoomId> inaccessible = new LinkedHashSet<>();
        for (String id : response.inaccessibleChildren()) {
            if (id != null && RoomId.isValid(id)) {
                inaccessible.add(RoomId.parse(id));
            }
        }
        return Optional.of(new Answer(wellFormedLinks(response.room()), children, inaccessible));
    }

    private static SpaceRoomSummary wellFormedLinks(SpaceRoomSummary summary) {
        List<ObjectNode> links = summary.childrenState().stream()
                .filter(s -> s != null && SpaceChild.of(s).isPresent())
                .toList();
        return summary.withChildrenState(links);
    }
}
