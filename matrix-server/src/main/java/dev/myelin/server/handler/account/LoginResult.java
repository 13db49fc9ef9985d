package dev.myelin.server.handler.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.account.IssuedTokens;
import java.util.Optional;

/** What a successful registration or login hands to the client. */
public record LoginResult(UserId userId, DeviceId deviceId, IssuedTokens tokens, String homeServer) {

    /** The response body of {@code /register} and {@code /login}. */
    public ObjectNode toJson(Clock clock) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("user_id", userId.toString());
        body.put("access_token", tokens.accessToken());
        body.put("device_id", deviceId.value());
        body.put("home_server", homeServer);
        tokens.refreshToken().ifPresent(r -> body.put("refresh_token", r));
        tokens.validUntil().ifPresent(until -> body.put("expires_in_ms",
                Math.max(0, until.toEpochMilli() - clock.nowMillis())));
        return body;
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
