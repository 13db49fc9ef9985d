package dev.myelin.server.api.admin.moderation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.admin.AdminBody;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.account.RateLimitOverrideStore;
import java.util.Optional;

/**
 * {@code GET}, {@code POST} and {@code DELETE /_synapse/admin/v1/users/{userId}/override_ratelimit}:
 * a user's own rate limit, {@code {"messages_per_second", "burst_count"}} (both default 0; a
 * {@code messages_per_second} of 0 exempts the user). {@code GET} answers {@code {}} when there is
 * none; {@code DELETE} removes it.
 */
public final class RateLimitOverrideEndpoint extends SpecEndpoint {
    static final String PATH = "/_synapse/admin/v1/users/{userId}/override_ratelimit";

    private final AdminUsers admin;
    private final RateLimitOverrideStore overrides;
    private final HttpMethod method;

    public RateLimitOverrideEndpoint(AdminUsers admin, RateLimitOverrideStore overrides, HttpMethod method) {
        super(spec(method));
        this.admin = admin;
        this.overrides = overrides;
        this.method = method;
    }

    private static EndpointSpec<?, ObjectNode> spec(HttpMethod method) {
        return switch (method) {
            case GET -> EndpointSpec.get(PATH, ObjectNode.class);
            case DELETE -> EndpointSpec.delete(PATH, ObjectNode.class);
            case POST ->
                EndpointSpec.post(PATH, ObjectNode.class, ObjectNode.class).bodyMayBeAbsent();
            default -> throw new IllegalArgumentException("no override_ratelimit endpoint for " + method);
        };
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Can only look up local users");
        admin.existing(user);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        switch (method) {
            case GET -> overrides.get(user).ifPresent(o -> put(answer, o));
            case DELETE -> overrides.delete(user);
            default -> {
                ObjectNode body = (ObjectNode) EndpointJson.readBody(request, spec());
                RateLimitOverrideStore.Override override = new RateLimitOverrideStore.Override(
                        positive(body, "messages_per_second"), positive(body, "burst_count"));
                overrides.set(user, override);
                put(answer, override);
            }
        }
        return MatrixResponse.ok(answer);
    }

    private static long positive(ObjectNode body, String field) {
        Optional<Long> value = AdminBody.count(body, field);
        if (value.filter(v -> v > Integer.MAX_VALUE).isPresent()) {
            throw AdminUsers.invalid(field + " must be a positive integer");
        }
        return value.orElse(0L);
    }

    private static void put(ObjectNode answer, RateLimitOverrideStore.Override override) {
        answer.put("messages_per_second", override.messagesPerSecond()).put("burst_count", override.burstCount());
    }
}
