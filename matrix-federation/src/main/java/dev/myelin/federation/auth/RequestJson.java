package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import java.util.Optional;

/** The JSON object a request signature covers (step 1 of Request Authentication). */
final class RequestJson {
    private RequestJson() {}

    static ObjectNode of(
            String method,
            String uri,
            ServerName origin,
            Optional<ServerName> destination,
            Optional<JsonNode> content) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("method", method);
        json.put("uri", uri);
        json.put("origin", origin.value());
        destination.ifPresent(d -> json.put("destination", d.value()));
        content.ifPresent(c -> json.set("content", c));
        return json;
    }
}
