package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.room.CreateRoomRequest;
import dev.myelin.server.handler.room.CreateRoomRequest.EventRequestTemplate;
import dev.myelin.server.handler.room.CreateRoomRequest.Preset;
import dev.myelin.server.handler.room.RoomCreator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/createRoom}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3createroom">spec</a>
 */
public final class CreateRoomEndpoint implements Endpoint {
    private final RoomCreator creator;
    private final RoomVersion defaultVersion;

    public CreateRoomEndpoint(RoomCreator creator, RoomVersion defaultVersion) {
        this.creator = creator;
        this.defaultVersion = defaultVersion;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/createRoom";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        UserId user = request.requireRequester().userId();
        ObjectNode body = request.jsonObject();
        RoomVersion version = JsonFields.optionalString(body, "room_version")
                .map(id -> RoomVersions.find(id).orElseThrow(() -> new MatrixException(400,
                        ErrorCode.of("M_UNSUPPORTED_ROOM_VERSION"), "Unsupported room version " + id)))
                .orElse(defaultVersion);
        String visibility = JsonFields.optionalString(body, "visibility").orElse("private");
        if (!visibility.equals("public") && !visibility.equals("private")) {
            throw MatrixException.invalidParam("visibility", "must be 'public' or 'private'");
        }
        boolean isPublic = visibility.equals("public");
        Preset preset = JsonFields.optionalString(body, "preset")
                .map(p -> Preset.parse(p).orElseThrow(() -> MatrixException.invalidParam("preset", "unknown preset " + p)))
                .orElse(isPublic ? Preset.PUBLIC_CHAT : Preset.PRIVATE_CHAT);
        List<UserId> invites = new ArrayList<>();
        JsonNode inviteNode = body.get("invite");
        if (inviteNode != null && !inviteNode.isNull()) {
            if (!inviteNode.isArray()) {
                throw MatrixException.badJson("'invite' must be a list of user ids");
            }
            for (JsonNode item : inviteNode) {
                if (!item.isTextual()) {
                    throw MatrixException.badJson("'invite' must be a list of user ids");
                }
                try {
                    invites.add(UserId.parse(item.textValue()));
                } catch (InvalidIdentifierException e) {
                    throw MatrixException.invalidParam("invite", e.getMessage());
                }
            }
        }
        List<EventRequestTemplate> initialState = new ArrayList<>();
        JsonNode stateNode = body.get("initial_state");
        if (stateNode != null && !stateNode.isNull()) {
            if (!stateNode.isArray()) {
                throw MatrixException.badJson("'initial_state' must be a list of state events");
            }
            for (JsonNode item : stateNode) {
                if (!item.isObject() || !item.path("type").isTextual() || !item.path("content").isObject()
                        || (item.has("state_key") && !item.get("state_key").isTextual())) {
                    throw MatrixException.badJson("each 'initial_state' entry needs a string 'type', an object "
                            + "'content' and an optional string 'state_key'");
                }
                initialState.add(new EventRequestTemplate(item.get("type").textValue(),
                        item.path("state_key").asText(""), (ObjectNode) item.get("content")));
            }
        }
        Optional<String> alias = JsonFields.optionalString(body, "room_alias_name");
        alias.ifPresent(a -> {
            if (a.isEmpty() || a.contains(":") || a.chars().anyMatch(Character::isWhitespace)) {
                throw MatrixException.invalidParam("room_alias_name", "must be non-empty, without ':' or spaces");
            }
        });
        CreateRoomRequest create = new CreateRoomRequest(user, version, preset, isPublic,
                JsonFields.optionalString(body, "name"), JsonFields.optionalString(body, "topic"), alias,
                invites, JsonFields.optionalBoolean(body, "is_direct", false), initialState,
                JsonFields.optionalObject(body, "creation_content").orElseGet(JsonNodeFactory.instance::objectNode),
                JsonFields.optionalObject(body, "power_level_content_override"));
        RoomId room = creator.create(create);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("room_id", room.value()));
    }
}
