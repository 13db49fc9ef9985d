package dev.myelin.server.handler.auth;

import org.jspecify.annotations.Nullable;

/**
 * The {@code auth} object of a request that needs user-interactive authentication: the stage
 * being completed, the session it belongs to, and the stage's own fields ({@code m.login.password}
 * names the user and gives the password).
 *
 * @param type the stage, absent when the client only asks for the flows or continues a session
 * @param session the session from the server's earlier 401
 * @param identifier who is authenticating
 * @param user the legacy way of naming the user, used when {@code identifier} is absent
 * @param password the account password for {@code m.login.password}
 * @param token the registration token for {@code m.login.registration_token}
 * @param threepidCreds the validation session of {@code m.login.email.identity}
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#user-interactive-authentication-api">UIA</a>
 */
public record AuthenticationData(
        @Nullable String type,
        @Nullable String session,
        @Nullable UserIdentifier identifier,
        @Nullable String user,
        @Nullable String password,
        @Nullable String token,
        @Nullable ThreePidCredentials threepidCreds) {

    /**
     * A 3PID validation session: the {@code sid} and {@code client_secret} of a {@code
     * requestToken}, and the identity server that ran it when it was not this server.
     */
    public record ThreePidCredentials(
            @Nullable String sid,
            @Nullable String clientSecret,
            @Nullable String idServer,
            @Nullable String idAccessToken) {}
}
