package dev.myelin.server.api.admin.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.storage.account.RegistrationToken;
import org.jspecify.annotations.Nullable;

/**
 * A registration token object of Synapse's admin API; {@code uses_allowed} and {@code
 * expiry_time} are null for no limit, and sent as null.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TokenJson(
        String token,
        @Nullable Integer usesAllowed,
        int pending,
        int completed,
        @Nullable Long expiryTime) {
    static TokenJson of(RegistrationToken t) {
        return new TokenJson(t.token(), t.usesAllowed(), t.pending(), t.completed(), t.expiryTime());
    }
}
