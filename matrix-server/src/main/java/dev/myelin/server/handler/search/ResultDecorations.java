package dev.myelin.server.handler.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.search.SearchRequest.ContextRequest;
import dev.myelin.server.handler.search.SearchResults.Context;
import dev.myelin.server.handler.search.SearchResults.Profile;
import dev.myelin.server.handler.search.SearchResults.Result;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a search adds around its results when asked: the events before and after each result with
 * their senders' profiles ({@code event_context}), and the state of the results' rooms
 * ({@code include_state}), each as the user may see it.
 */
public final class ResultDecorations {
    private final RoomTimelineHandler timeline;
    private final RoomStateReader roomState;
    private final RoomReadHandler reads;

    public ResultDecorations(RoomTimelineHandler timeline, RoomStateReader roomState, RoomReadHandler reads) {
        this.timeline = timeline;
        this.roomState = roomState;
        this.reads = reads;
    }

    /** The results with their context. */
    public List<Result> withContext(UserId user, List<Result> results, ContextRequest request) {
        List<Result> out = new ArrayList<>(results.size());
        for (Result result : results) {
            RoomTimelineHandler.Context around =
                    timeline.around(user, result.event(), request.beforeLimit(), request.afterLimit());
            Map<String, Profile> profiles = request.includeProfile() ? profiles(result.event(), around) : Map.of();
            out.add(new Result(
                    result.event(),
                    result.rank(),
                    Optional.of(new Context(around.before(), around.after(), around.start(), around.end(), profiles))));
        }
        return out;
    }

    /**
     * The profiles of the senders of the result and its context, from their member events in the
     * state at the result: the names they had then, as Synapse gives them.
     */
    private Map<String, Profile> profiles(StoredEvent result, RoomTimelineHandler.Context around) {
        Set<String> senders = new LinkedHashSet<>();
        senders.add(result.pdu().sender().toString());
        around.before().forEach(e -> senders.add(e.pdu().sender().toString()));
        around.after().forEach(e -> senders.add(e.pdu().sender().toString()));
        Map<StateKey, EventId> stateAt = roomState.stateAfter(result.eventId());
        Map<StateKey, EventId> wanted = new LinkedHashMap<>();
        for (String sender : senders) {
            EventId member = stateAt.get(StateKey.member(sender));
            if (member != null) {
                wanted.put(StateKey.member(sender), member);
            }
        }
        Map<StateKey, StoredEvent> members = roomState.events(wanted);
        Map<String, Profile> out = new LinkedHashMap<>();
        for (String sender : senders) {
            StoredEvent member = members.get(StateKey.member(sender));
            if (member != null) {
                JsonNode content = member.pdu().content();
                out.put(sender, new Profile(text(content, "displayname"), text(content, "avatar_url")));
            }
        }
        return out;
    }

    private static Optional<String> text(JsonNode content, String field) {
        JsonNode value = content.path(field);
        return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** The state of each room of the results, current or as it was when the user left. */
    public Map<RoomId, List<StoredEvent>> roomStates(UserId user, List<Result> results) {
        Map<RoomId, List<StoredEvent>> out = new LinkedHashMap<>();
        for (Result result : results) {
            RoomId room = result.event().pdu().roomId();
            if (!out.containsKey(room)) {
                try {
                    out.put(room, List.copyOf(reads.state(user, room).values()));
                } catch (MatrixException e) {
                    // a room the user saw history of but may no longer read the state of is left out
                    out.put(room, List.of());
                }
            }
        }
        return out;
    }
}
