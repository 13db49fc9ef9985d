package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v3/publicRooms} ({@code limit}, {@code since}, {@code server}) and
 * {@code POST /_matrix/client/v3/publicRooms} (the same in the body, plus {@code filter} with
 * {@code generic_search_term} and {@code room_types}). Only this server's directory is served: asking
 * for another server's is 400 {@code M_INVALID_PARAM}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3publicrooms">GET</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3publicrooms">POST</a>
 */
public final class PublicRoomsEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;
    private final ServerName serverName;
    private final HttpMethod method;

    /** {@code method} is GET (no auth needed, as the spec says) or POST (the search form). */
    public PublicRoomsEndpoint(RoomDirectoryHandler directory, ServerName serverName, HttpMethod method) {
        this.directory = directory;
        this.serverName = serverName;
        this.method = method;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/publicRooms";
    }

    @Override
    public AuthRequirement auth() {
        return method == HttpMethod.GET ? AuthRequirement.OPTIONAL : AuthRequirement.REQUIRED;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.queryParam("server").ifPresent(this::requireLocal);
        RoomDirectoryHandler.PublicRooms page;
        if (method == HttpMethod.GET) {
            page = directory.publicRooms(limit(request.queryParam("limit")), request.queryParam("since"),
                    Optional.empty(), Optional.empty());
        } else {
            ObjectNode body = request.jsonObject();
            Optional<Long> limit = JsonFields.optionalLong(body, "limit");
            if (limit.isPresent() && limit.get() < 0) {
                throw MatrixException.invalidParam("limit", "must not be negative");
            }
            ObjectNode filter = JsonFields.optionalObject(body, "filter").orElseGet(JsonNodeFactory.instance::objectNode);
            page = directory.publicRooms(limit.map(l -> (int) Math.min(l, Integer.MAX_VALUE)),
                    JsonFields.optionalString(body, "since"), JsonFields.optionalString(filter, "generic_search_term"),
                    roomTypes(filter.get("room_types")));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putArray("chunk").addAll(page.chunk());
        out.put("total_room_count_estimate", page.total());
        page.nextBatch().ifPresent(t -> out.put("next_batch", t));
        page.prevBatch().ifPresent(t -> out.put("prev_batch", t));
        return MatrixResponse.ok(out);
    }

    private void requireLocal(String server) {
        if (!server.equals(serverName.toString())) {
            throw MatrixException.invalidParam("server", "only this server's room directory is available");
        }
    }

    private static Optional<Integer> limit(Optional<String> raw) {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < 0) {
                throw MatrixException.invalidParam("limit", "must not be negative");
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("limit", "must be an integer");
        }
    }

    private static Optional<List<String>> roomTypes(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw MatrixException.badJson("'room_types' must be a list");
        }
        List<String> types = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isNull() && !item.isTextual()) {
                throw MatrixException.badJson("'room_types' must hold strings or null");
            }
            types.add(item.isNull() ? null : item.textValue());
        }
        return Optional.of(types);
    }
}
