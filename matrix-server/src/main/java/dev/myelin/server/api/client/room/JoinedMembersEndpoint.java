package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/joined_members}: {@code {joined: {user: {display_name,
 * avatar_url}}}} from the members' current member events.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidjoined_members">spec</a>
 */
public final class JoinedMembersEndpoint implements Endpoint {
    private final RoomReadHandler reads;

    public JoinedMembersEndpoint(RoomReadHandler reads) {
        this.reads = reads;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/joined_members";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode joined = body.putObject("joined");
        reads.joinedMembers(user, PathParams.roomId(request)).forEach((key, event) -> {
            ObjectNode member = joined.putObject(key.stateKey());
            JsonNode content = event.pdu().content();
            member.set("display_name", textOrNull(content.get("displayname")));
            member.set("avatar_url", textOrNull(content.get("avatar_url")));
        });
        return MatrixResponse.ok(body);
    }

    private static JsonNode textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node : JsonNodeFactory.instance.nullNode();
    }
}
