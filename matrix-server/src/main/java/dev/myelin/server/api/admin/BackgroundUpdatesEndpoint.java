package dev.myelin.server.api.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.admin.AdminUsers;

/**
 * Synapse's background updates admin API, for tools that poll it: {@code GET
 * /_synapse/admin/v1/background_updates/enabled}, {@code POST .../enabled} and {@code GET
 * .../status}. Myelin migrates its schema at start-up and has no background updates, so they are
 * always "enabled" with none running; a {@code POST} is checked and answered the same way.
 */
public final class BackgroundUpdatesEndpoint extends SpecEndpoint {
    static final String PATH = "/_synapse/admin/v1/background_updates/";

    /** Which of the three requests an instance serves. */
    public enum Kind {
        GET_ENABLED,
        SET_ENABLED,
        STATUS
    }

    private final AdminUsers admin;
    private final Kind kind;

    public BackgroundUpdatesEndpoint(AdminUsers admin, Kind kind) {
        super(
                switch (kind) {
                    case GET_ENABLED -> EndpointSpec.get(PATH + "enabled", ObjectNode.class);
                    case SET_ENABLED ->
                        EndpointSpec.of(HttpMethod.POST, PATH + "enabled", ObjectNode.class, ObjectNode.class);
                    case STATUS -> EndpointSpec.get(PATH + "status", ObjectNode.class);
                });
        this.admin = admin;
        this.kind = kind;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        admin.requireAdmin(request.requireRequester());
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("enabled", true);
        switch (kind) {
            case SET_ENABLED -> {
                ObjectNode body = (ObjectNode) dev.myelin.http.endpoint.EndpointJson.readBody(request, spec());
                if (!body.path("enabled").isBoolean()) {
                    throw MatrixException.missingParam("enabled");
                }
            }
            case STATUS -> answer.set("current_updates", JsonNodeFactory.instance.objectNode());
            default -> {}
        }
        return MatrixResponse.ok(answer);
    }
}
