package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.CreateRoomRequest;
import dev.myelin.server.handler.room.CreateRoomRequest.EventRequestTemplate;
import dev.myelin.server.handler.room.CreateRoomRequest.Preset;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.server.handler.threepid.ThirdPartyInvites;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/createRoom}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3createroom">spec</a>
 */
public final class CreateRoomEndpoint extends JsonEndpoint<CreateRoomEndpoint.Request, RoomIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, RoomIdResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/createRoom", Request.class, RoomIdResponse.class)
            .rateLimited("room_creation");

    /**
     * The room to create; every field is optional. {@code creation_content} and
     * {@code power_level_content_override} are event content, free-form JSON.
     *
     * @param visibility {@code public} or {@code private} (the default) in the room directory
     * @param roomAliasName the localpart of an alias to create
     * @param invite user ids to invite
     * @param roomVersion a version this server can create; the configured default when absent
     * @param initialState state events to send after the preset's
     * @param preset {@code private_chat}, {@code trusted_private_chat} or {@code public_chat}
     * @param invite3pid {@code invite_3pid}: invitations by 3PID, each with its identity server
     */
    public record Request(
            @Nullable String visibility,
            @Nullable String roomAliasName,
            @Nullable String name,
            @Nullable String topic,
            @Nullable List<String> invite,
            @Nullable String roomVersion,
            @Nullable ObjectNode creationContent,
            @Nullable List<StateEvent> initialState,
            @Nullable String preset,
            @Nullable Boolean isDirect,
            @Nullable ObjectNode powerLevelContentOverride,
            @JsonProperty("invite_3pid") @Nullable List<InviteRequest> invite3pid) {
        /** Checks every field's value, so a bad one creates nothing. */
        public Request {
            if (invite3pid != null) {
                for (InviteRequest third : invite3pid) {
                    if (third == null) {
                        throw MatrixException.badJson("'invite_3pid' must be a list of objects");
                    }
                    third.invitation();
                }
            }
            if (roomVersion != null && RoomVersions.find(roomVersion).isEmpty()) {
                throw new MatrixException(
                        400, ErrorCode.UNSUPPORTED_ROOM_VERSION, "Unsupported room version " + roomVersion);
            }
            if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
                throw MatrixException.invalidParam("visibility", "must be 'public' or 'private'");
            }
            if (preset != null && Preset.parse(preset).isEmpty()) {
                throw MatrixException.invalidParam("preset", "unknown preset " + preset);
            }
            if (invite != null) {
                for (String user : invite) {
                    if (user == null) {
                        throw MatrixException.badJson("'invite' must be a list of user ids");
                    }
                    try {
                        UserId.parse(user);
                    } catch (InvalidIdentifierException e) {
                        throw MatrixException.invalidParam("invite", e.getMessage());
                    }
                }
            }
            if (initialState != null && initialState.contains(null)) {
                throw StateEvent.malformed();
            }
            if (roomAliasName != null
                    && (roomAliasName.isEmpty()
                            || roomAliasName.contains(":")
                            || roomAliasName.chars().anyMatch(Character::isWhitespace))) {
                throw MatrixException.invalidParam("room_alias_name", "must be non-empty, without ':' or spaces");
            }
        }

        /** The handler's request for {@code creator}, with {@code defaultVersion} when none was asked for. */
        CreateRoomRequest toCreateRoomRequest(UserId creator, RoomVersion defaultVersion) {
            boolean isPublic = "public".equals(visibility);
            return new CreateRoomRequest(
                    creator,
                    roomVersion == null
                            ? defaultVersion
                            : RoomVersions.find(roomVersion).orElseThrow(),
                    preset == null
                            ? (isPublic ? Preset.PUBLIC_CHAT : Preset.PRIVATE_CHAT)
                            : Preset.parse(preset).orElseThrow(),
                    isPublic,
                    Optional.ofNullable(name),
                    Optional.ofNullable(topic),
                    Optional.ofNullable(roomAliasName),
                    invite == null
                            ? List.of()
                            : invite.stream().map(UserId::parse).toList(),
                    Boolean.TRUE.equals(isDirect),
                    initialState == null
                            ? List.of()
                            : initialState.stream().map(StateEvent::template).toList(),
                    creationContent == null ? JsonNodeFactory.instance.objectNode() : creationContent,
                    Optional.ofNullable(powerLevelContentOverride));
        }
    }

    /**
     * One entry of {@code initial_state}: a type, an optional state key (empty when absent) and the
     * content, free-form JSON.
     */
    public record StateEvent(String type, @Nullable String stateKey, ObjectNode content) {
        /** Checks that type and content are present. */
        public StateEvent {
            if (type == null || content == null) {
                throw malformed();
            }
        }

        static MatrixException malformed() {
            return MatrixException.badJson("each 'initial_state' entry needs a string 'type', an object "
                    + "'content' and an optional string 'state_key'");
        }

        EventRequestTemplate template() {
            return new EventRequestTemplate(type, stateKey == null ? "" : stateKey, content);
        }
    }

    private final RoomCreator creator;
    private final RoomVersion defaultVersion;
    private final MembershipHandler membership;
    private final ThirdPartyInvites thirdParty;

    /** {@code membership} and {@code thirdParty} send the {@code invite_3pid} invitations once the room exists. */
    public CreateRoomEndpoint(
            RoomCreator creator,
            RoomVersion defaultVersion,
            MembershipHandler membership,
            ThirdPartyInvites thirdParty) {
        super(SPEC);
        this.creator = creator;
        this.defaultVersion = defaultVersion;
        this.membership = membership;
        this.thirdParty = thirdParty;
    }

    @Override
    protected RoomIdResponse handle(MatrixRequest request, Request body) {
        UserId user = request.requireRequester().userId();
        RoomId room = creator.create(body.toCreateRoomRequest(user, defaultVersion));
        if (body.invite3pid() != null) {
            for (InviteRequest third : body.invite3pid()) {
                thirdParty
                        .invite(user, room, third.invitation())
                        .ifPresent(bound -> membership.invite(user, room, bound, Optional.empty()));
            }
        }
        return new RoomIdResponse(room.value());
    }
}
