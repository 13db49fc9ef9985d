package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;

/** What one type of EDU received in a transaction does. */
@FunctionalInterface
public interface EduHandler {

    /**
     * Acts on an EDU's {@code content} from {@code origin} (authenticated). Must not trust the
     * content: a server speaks only for its own users, and bad content is dropped, not thrown.
     */
    void handle(ServerName origin, JsonNode content);
}
