package dev.myelin.server.api.client.room;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of membership changes done to another user ({@code invite}, {@code kick}, {@code ban},
 * {@code unban}): the target's {@code user_id} (required; 400 {@code M_INVALID_PARAM} when it is
 * not a user id) and an optional {@code reason}. The id's grammar is checked by {@link #user()},
 * which the endpoints call before anything else, rather than by the constructor, so that a client
 * (a test) can still send a malformed id to see the server refuse it.
 *
 * @param userId the target user
 * @param reason why, shown to other members
 */
public record TargetUserRequest(String userId, @Nullable String reason) {
    /** Checks that {@code user_id} is present. */
    public TargetUserRequest {
        EndpointJson.required(userId, "user_id");
    }

    /** The target user; 400 {@code M_INVALID_PARAM} when {@code user_id} is not a user id. */
    public UserId user() {
        try {
            return UserId.parse(userId);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", e.getMessage());
        }
    }

    /** The reason, when one was given. */
    public Optional<String> optionalReason() {
        return Optional.ofNullable(reason);
    }
}
