package dev.myelin.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which state events a new event must cite in {@code auth_events}: the keys to look up in the
 * current state. Keys the state has no event for are simply not cited.
 *
 * <p>The same selection tells the authorization rules which cited auth events belong: an auth
 * event whose key is not selected for the event makes the event rejected.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#auth-events-selection">Auth events selection</a>
 */
public final class AuthEventSelection {
    private AuthEventSelection() {}

    /**
     * The keys of the auth events for an event with these fields, in the spec's order, without
     * duplicates. An {@code m.room.create} event has none.
     *
     * @param eventType the new event's type
     * @param stateKey its state key, null for a message event
     * @param sender its sender
     * @param content its content
     * @param version the room's version
     */
    public static List<StateTuple> select(
            String eventType, @Nullable String stateKey, UserId sender, ObjectNode content, RoomVersion version) {
        List<StateTuple> keys = new ArrayList<>();
        if (eventType.equals("m.room.create") && "".equals(stateKey)) {
            return List.of();
        }
        // From room version 12 the room id names the create event, so it is never cited.
        if (!version.eventFormat().roomIdFromCreateEvent()) {
            keys.add(StateTuple.CREATE);
        }
        keys.add(StateTuple.POWER_LEVELS);
        add(keys, StateTuple.member(sender.toString()));
        if (eventType.equals("m.room.member") && stateKey != null) {
            add(keys, StateTuple.member(stateKey));
            String membership = text(content, "membership").orElse("");
            if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
                keys.add(StateTuple.JOIN_RULES);
            }
            JsonNode invite = content.get("third_party_invite");
            if (membership.equals("invite") && invite != null) {
                text(invite.path("signed"), "token")
                        .ifPresent(token -> keys.add(new StateTuple("m.room.third_party_invite", token)));
            }
            Optional<String> authoriser = text(content, "join_authorised_via_users_server");
            if (membership.equals("join")
                    && authoriser.isPresent()
                    && version.auth().restrictedJoins()) {
                add(keys, StateTuple.member(authoriser.get()));
            }
        }
        return List.copyOf(keys);
    }

    /** The keys of the auth events {@code event} should cite. */
    public static List<StateTuple> select(Pdu event) {
        return select(event.type(), event.stateKey().orElse(null), event.sender(), event.content(), event.version());
    }

    private static void add(List<StateTuple> keys, StateTuple key) {
        if (!keys.contains(key)) {
            keys.add(key);
        }
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }
}
