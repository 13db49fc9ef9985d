package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of {@code m.room.join_rules}, read leniently.
 *
 * @param joinRule the rule; empty when {@code join_rule} is absent or not a string
 * @param allow the {@code allow} conditions of a restricted room (room version 8 and later);
 *     entries that are not objects with a string {@code type} are skipped
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomjoin_rules">m.room.join_rules</a>
 */
public record JoinRulesContent(Optional<JoinRule> joinRule, List<AllowCondition> allow) {

    /** Copies the lists, so the value cannot change. */
    public JoinRulesContent {
        allow = List.copyOf(allow);
    }

    /**
     * One way to satisfy a restricted join rule.
     *
     * @param type the condition type; {@code m.room_membership} is the one the spec defines
     * @param roomId for {@code m.room_membership}, the room the user must be joined to
     */
    public record AllowCondition(String type, Optional<RoomId> roomId) {
        public static final String ROOM_MEMBERSHIP = "m.room_membership";
    }

    /**
     * Reads {@code m.room.join_rules} content leniently.
     *
     * @param content the event content
     * @return the rule and its allow conditions
     */
    public static JoinRulesContent from(ObjectNode content) {
        List<AllowCondition> allow = new ArrayList<>();
        JsonNode array = content.get("allow");
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                Optional<String> type = Json.text(item, "type");
                if (item.isObject() && type.isPresent()) {
                    Optional<RoomId> room =
                            Json.text(item, "room_id").filter(RoomId::isValid).map(RoomId::parse);
                    allow.add(new AllowCondition(type.get(), room));
                }
            }
        }
        return new JoinRulesContent(Json.text(content, "join_rule").map(JoinRule::of), allow);
    }
}
