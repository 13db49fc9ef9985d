package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of an {@code m.device_list_update} EDU, checked: the fields the spec requires with
 * the right types, {@code prev_id} a list of stream ids.
 *
 * @param user the user whose device changed
 * @param deviceId the device
 * @param streamId the update's id, unique for the user
 * @param prevIds the ids of the updates it follows
 * @param deleted whether the device was deleted
 * @param displayName the device's display name, when shared
 * @param keys the device's keys, when it has any
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#device-management">Device Management</a>
 */
record DeviceListUpdate(
        UserId user,
        String deviceId,
        long streamId,
        List<Long> prevIds,
        boolean deleted,
        Optional<String> displayName,
        Optional<ObjectNode> keys) {

    /** The update in {@code content}, or empty when it is malformed. */
    static Optional<DeviceListUpdate> parse(JsonNode content) {
        JsonNode userId = content.path("user_id");
        JsonNode deviceId = content.path("device_id");
        JsonNode streamId = content.path("stream_id");
        if (!userId.isTextual()
                || !deviceId.isTextual()
                || deviceId.textValue().isEmpty()
                || !streamId.isIntegralNumber()
                || !streamId.canConvertToLong()) {
            return Optional.empty();
        }
        UserId user;
        try {
            user = UserId.parse(userId.textValue());
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
        List<Long> prevIds = new ArrayList<>();
        JsonNode prev = content.get("prev_id");
        if (prev != null && !prev.isNull()) {
            if (!prev.isArray()) {
                return Optional.empty();
            }
            for (JsonNode id : prev) {
                if (!id.isIntegralNumber() || !id.canConvertToLong()) {
                    return Optional.empty();
                }
                prevIds.add(id.longValue());
            }
        }
        JsonNode deleted = content.path("deleted");
        JsonNode name = content.path("device_display_name");
        JsonNode keys = content.get("keys");
        if ((!deleted.isMissingNode() && !deleted.isBoolean() && !deleted.isNull())
                || (!name.isMissingNode() && !name.isTextual() && !name.isNull())
                || (keys != null && !keys.isObject() && !keys.isNull())) {
            return Optional.empty();
        }
        if (keys instanceof ObjectNode object
                && object.has("user_id")
                && !object.path("user_id").asText("").equals(user.toString())) {
            return Optional.empty();
        }
        return Optional.of(new DeviceListUpdate(
                user,
                deviceId.textValue(),
                streamId.longValue(),
                prevIds,
                deleted.asBoolean(false),
                name.isTextual() ? Optional.of(name.textValue()) : Optional.empty(),
                keys instanceof ObjectNode object ? Optional.of(object) : Optional.empty()));
    }
}
