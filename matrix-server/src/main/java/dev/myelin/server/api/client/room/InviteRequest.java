package dev.myelin.server.api.client.room;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.threepid.ThirdPartyInvites;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /rooms/{roomId}/invite}: a {@code user_id}, or a third-party invite's
 * {@code id_server}, {@code id_access_token}, {@code medium} and {@code address}.
 *
 * @param userId the user to invite
 * @param reason why, shown to other members
 * @param idServer the identity server to look the address up on
 * @param idAccessToken the user's access token on that identity server
 * @param medium the 3PID's medium
 * @param address the 3PID's address
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidinvite-1">invite by 3PID</a>
 */
public record InviteRequest(
        @Nullable String userId,
        @Nullable String reason,
        @Nullable String idServer,
        @Nullable String idAccessToken,
        @Nullable String medium,
        @Nullable String address) {

    /** An invite of {@code userId}. */
    public static InviteRequest user(String userId) {
        return new InviteRequest(userId, null, null, null, null, null);
    }

    /** Whether this is a third-party invite: no {@code user_id}, and a 3PID field. */
    public boolean byThirdParty() {
        return userId == null && (medium != null || address != null || idServer != null);
    }

    /** The third-party invitation, with the spec's 400 errors for what is missing or bad. */
    public ThirdPartyInvites.Invitation invitation() {
        return ThirdPartyInvites.Invitation.of(idServer, idAccessToken, medium, address);
    }

    /** The user to invite; 400 {@code M_MISSING_PARAM} or {@code M_INVALID_PARAM} when it is not a user id. */
    public UserId user() {
        if (userId == null) {
            throw MatrixException.missingParam("user_id");
        }
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
