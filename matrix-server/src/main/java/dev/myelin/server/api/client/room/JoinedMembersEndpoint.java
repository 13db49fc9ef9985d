package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.RoomReadHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/joined_members}: {@code {joined: {user: {display_name,
 * avatar_url}}}} from the members' current member events.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidjoined_members">spec</a>
 */
public final class JoinedMembersEndpoint extends JsonEndpoint<NoBody, JoinedMembersEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/joined_members", Response.class);

    /** The joined members by user id. */
    public record Response(Map<String, Member> joined) {}

    /**
     * One member's profile in the room; a missing name or avatar is written as {@code null}, as
     * Synapse does, rather than left out.
     */
    public record Member(
            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String displayName,

            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String avatarUrl) {}

    private final RoomReadHandler reads;

    public JoinedMembersEndpoint(RoomReadHandler reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        var user = request.requireRequester().userId();
        Map<String, Member> joined = new LinkedHashMap<>();
        reads.joinedMembers(user, PathParams.roomId(request)).forEach((key, event) -> {
            JsonNode content = event.pdu().content();
            joined.put(
                    key.stateKey(),
                    new Member(textOrNull(content.get("displayname")), textOrNull(content.get("avatar_url"))));
        });
        return new Response(joined);
    }

    private static @Nullable String textOrNull(@Nullable JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
