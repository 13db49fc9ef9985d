package dev.myelin.server.api.client.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.server.handler.sync.SyncToken;

/**
 * {@code GET /_matrix/client/v3/keys/changes?from=&to=}: the users whose device lists changed between
 * two sync tokens (sharing a room with the caller), and those who no longer share a room.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3keyschanges">spec</a>
 */
public final class KeyChangesEndpoint implements Endpoint {
    private final DeviceLists deviceLists;

    public KeyChangesEndpoint(DeviceLists deviceLists) {
        this.deviceLists = deviceLists;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/keys/changes";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        SyncToken from = token(request, "from");
        SyncToken to = token(request, "to");
        DeviceLists.Changes changes = deviceLists.changes(user, from.events(), Math.max(from.events(), to.events()),
                from.deviceLists(), Math.max(from.deviceLists(), to.deviceLists()));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode changed = body.putArray("changed");
        changes.changed().forEach(u -> changed.add(u.toString()));
        ArrayNode left = body.putArray("left");
        changes.left().forEach(u -> left.add(u.toString()));
        return MatrixResponse.ok(body);
    }

    private static SyncToken token(MatrixRequest request, String name) {
        String value = request.queryParam(name).orElseThrow(() -> MatrixException.missingParam(name));
        try {
            return SyncToken.parse(value);
        } catch (MatrixException e) {
            throw MatrixException.invalidParam(name, "not a sync token issued by this server");
        }
    }
}
