package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /join/{roomIdOrAlias}}: an optional {@code reason}, and any other keys,
 * which go into the join event's content as Synapse puts them (so a client can set a per-room
 * display name or keys of its own). The endpoint also accepts no body at all.
 *
 * @param reason why, shown to other members
 * @param extra every other key of the body
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3joinroomidoralias">spec</a>
 */
public record JoinRequest(
        @Nullable String reason,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
    /** A body without a reason or other keys. */
    public static final JoinRequest NONE = new JoinRequest(null, Map.of());

    public JoinRequest {
        extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    /** The reason, when one was given. */
    public Optional<String> optionalReason() {
        return Optional.ofNullable(reason);
    }

    /** The other keys as a JSON object, for the member event's content. */
    public ObjectNode extraContent() {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        extra.forEach((key, value) -> content.set(key, value == null ? null : value.deepCopy()));
        return content;
    }
}
