package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code /createRoom} body.
 *
 * @param initialState events from {@code initial_state}, each with type, state key and content
 */
public record CreateRoomRequest(
        UserId creator,
        RoomVersion version,
        Preset preset,
        boolean publicVisibility,
        Optional<String> name,
        Optional<String> topic,
        Optional<String> aliasLocalpart,
        List<UserId> invites,
        boolean isDirect,
        List<EventRequestTemplate> initialState,
        ObjectNode creationContent,
        Optional<ObjectNode> powerLevelOverride) {

    public CreateRoomRequest {
        invites = List.copyOf(invites);
        initialState = List.copyOf(initialState);
    }

    /** A state event the client asked for, before it has a room. */
    public record EventRequestTemplate(String type, String stateKey, ObjectNode content) {}

    /**
     * The room presets of the spec. {@code public_chat}'s guest access, {@code forbidden}, is what a room
     * without an {@code m.room.guest_access} event has, so that preset sends none (as Synapse does).
     */
    public enum Preset {
        PRIVATE_CHAT("private_chat", "invite", "shared", Optional.of("can_join")),
        TRUSTED_PRIVATE_CHAT("trusted_private_chat", "invite", "shared", Optional.of("can_join")),
        PUBLIC_CHAT("public_chat", "public", "shared", Optional.empty());

        private final String id;
        final String joinRule;
        final String historyVisibility;
        final Optional<String> guestAccess;

        Preset(String id, String joinRule, String historyVisibility, Optional<String> guestAccess) {
            this.id = id;
            this.joinRule = joinRule;
            this.historyVisibility = historyVisibility;
            this.guestAccess = guestAccess;
        }

        public static Optional<Preset> parse(String id) {
            for (Preset preset : values()) {
                if (preset.id.equals(id)) {
                    return Optional.of(preset);
                }
            }
            return Optional.empty();
        }
    }
}
