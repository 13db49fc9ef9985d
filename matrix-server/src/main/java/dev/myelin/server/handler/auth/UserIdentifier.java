package dev.myelin.server.handler.auth;

import org.jspecify.annotations.Nullable;

/**
 * Who logs in or authenticates: only {@code m.id.user} (a user id or a localpart) is supported.
 *
 * @param type the identifier type
 * @param user the user id or localpart
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#identifier-types">spec</a>
 */
public record UserIdentifier(
        @Nullable String type, @Nullable String user) {

    /** An {@code m.id.user} identifier for a user id or localpart. */
    public static UserIdentifier user(String user) {
        return new UserIdentifier("m.id.user", user);
    }
}
