package dev.myelin.server.handler.auth;

import org.jspecify.annotations.Nullable;

/**
 * Who logs in or authenticates: {@code m.id.user} (a user id or a localpart) or {@code
 * m.id.thirdparty} (a 3PID bound to the account).
 *
 * @param type the identifier type
 * @param user the user id or localpart, for {@code m.id.user}
 * @param medium the 3PID's medium, for {@code m.id.thirdparty}
 * @param address the 3PID's address, for {@code m.id.thirdparty}
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#identifier-types">spec</a>
 */
public record UserIdentifier(
        @Nullable String type,
        @Nullable String user,
        @Nullable String medium,
        @Nullable String address) {

    /** An {@code m.id.user} identifier for a user id or localpart. */
    public static UserIdentifier user(String user) {
        return new UserIdentifier("m.id.user", user, null, null);
    }

    /** An {@code m.id.thirdparty} identifier for a 3PID. */
    public static UserIdentifier thirdParty(String medium, String address) {
        return new UserIdentifier("m.id.thirdparty", null, medium, address);
    }
}
