package dev.myelin.http.server;

import java.util.Objects;
import java.util.Optional;

/**
 * Who made an authenticated request, as established by an {@link Authenticator}.
 *
 * <p>The fields are the raw identifiers the authenticator vouched for; endpoint code parses them
 * into typed identifiers.
 *
 * @param userId the fully qualified Matrix user id, e.g. {@code @alice:example.org}
 * @param deviceId the device the access token belongs to, absent for tokens without one (e.g.
 *     application services)
 * @param guest whether the token belongs to a guest account
 */
public record Requester(String userId, Optional<String> deviceId, boolean guest) {

    public Requester {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** A regular (non-guest) user on a device. */
    public static Requester user(String userId, String deviceId) {
        return new Requester(userId, Optional.of(deviceId), false);
    }
}
