package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code /sync} response with accessors for the parts tests look at; {@link #json()} is the
 * whole body. Assert on it with {@link MatrixAssertions#assertThat(SyncResponse)}.
 *
 * @param json the response body
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync">GET /sync</a>
 */
public record SyncResponse(JsonNode json) {

    /** Requires the body. */
    public SyncResponse {
        Objects.requireNonNull(json, "json");
    }

    /** The {@code next_batch} token to sync from next. */
    public String nextBatch() {
        return json.path("next_batch").asText();
    }

    /** Ids of the rooms under {@code rooms.join}. */
    public Set<String> joinedRooms() {
        return keys(json.path("rooms").path("join"));
    }

    /** Ids of the rooms under {@code rooms.invite}. */
    public Set<String> invitedRooms() {
        return keys(json.path("rooms").path("invite"));
    }

    /** Ids of the rooms under {@code rooms.leave} (left, kicked or banned). */
    public Set<String> leftRooms() {
        return keys(json.path("rooms").path("leave"));
    }

    /**
     * The timeline events of a room, oldest first: from {@code rooms.join}, or from
     * {@code rooms.leave} when the user left in this sync window; empty if the room is in neither.
     */
    public List<ClientEvent> timeline(String roomId) {
        JsonNode rooms = json.path("rooms");
        JsonNode room = rooms.path("join").has(roomId)
                ? rooms.path("join").path(roomId)
                : rooms.path("leave").path(roomId);
        return events(room.path("timeline").path("events"));
    }

    /** The {@code state} section of a joined (or left) room. */
    public List<ClientEvent> state(String roomId) {
        JsonNode rooms = json.path("rooms");
        JsonNode room = rooms.path("join").has(roomId)
                ? rooms.path("join").path(roomId)
                : rooms.path("leave").path(roomId);
        return events(room.path("state").path("events"));
    }

    /** The stripped state of an invite ({@code rooms.invite.<id>.invite_state}). */
    public List<ClientEvent> inviteState(String roomId) {
        return events(json.path("rooms")
                .path("invite")
                .path(roomId)
                .path("invite_state")
                .path("events"));
    }

    /** Every timeline event of every joined and left room, room by room, oldest first within a room. */
    public List<ClientEvent> allTimelineEvents() {
        List<ClientEvent> all = new ArrayList<>();
        for (String room : joinedRooms()) {
            all.addAll(timeline(room));
        }
        for (String room : leftRooms()) {
            if (!json.path("rooms").path("join").has(room)) {
                all.addAll(timeline(room));
            }
        }
        return all;
    }

    /**
     * The {@code ephemeral} events of a joined room: {@code m.typing} (the users typing now, in
     * {@code content.user_ids}) and {@code m.receipt}.
     */
    public List<ClientEvent> ephemeral(String roomId) {
        return events(
                json.path("rooms").path("join").path(roomId).path("ephemeral").path("events"));
    }

    /** The {@code presence.events}: {@code m.presence} of users sharing a room, {@code sender} the user. */
    public List<ClientEvent> presence() {
        return events(json.path("presence").path("events"));
    }

    /** The {@code to_device.events}. */
    public List<ClientEvent> toDevice() {
        return events(json.path("to_device").path("events"));
    }

    /** The global {@code account_data.events}. */
    public List<ClientEvent> accountData() {
        return events(json.path("account_data").path("events"));
    }

    static List<ClientEvent> events(JsonNode array) {
        List<ClientEvent> events = new ArrayList<>();
        for (JsonNode event : array) {
            if (event.isObject()) {
                events.add(new ClientEvent(event));
            }
        }
        return List.copyOf(events);
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
