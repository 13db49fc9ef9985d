package dev.myelin.server.api.client.account;

import dev.myelin.core.time.Clock;
import dev.myelin.server.handler.account.LoginResult;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code /login} and {@code /register} (and of shared-secret registration): the
 * account, and the new device with its tokens unless the login was inhibited.
 *
 * @param userId the account's user id
 * @param accessToken the new access token; absent when registration inhibited the login
 * @param deviceId the new device; absent when registration inhibited the login
 * @param homeServer the server name (deprecated in the spec, still read by older clients)
 * @param refreshToken the refresh token, when the client asked for one
 * @param expiresInMs how long the access token lives, when it expires
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3login">spec</a>
 */
public record LoginResponse(
        String userId,
        @Nullable String accessToken,
        @Nullable String deviceId,
        @Nullable String homeServer,
        @Nullable String refreshToken,
        @Nullable Long expiresInMs) {

    /** The answer for a device that has just logged in. */
    public static LoginResponse of(LoginResult login, Clock clock) {
        return new LoginResponse(
                login.userId().toString(),
                login.tokens().accessToken(),
                login.deviceId().value(),
                login.homeServer(),
                login.tokens().refreshToken().orElse(null),
                login.tokens()
                        .validUntil()
                        .map(until -> Math.max(0, until.toEpochMilli() - clock.nowMillis()))
                        .orElse(null));
    }
}
