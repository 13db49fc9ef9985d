package dev.myelin.http.server;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made an authenticated request, as established by an {@link Authenticator}.
 *
 * <p>The identifiers are typed: an authenticator parses what its token store holds, so endpoint
 * code never sees a raw user or device id string.
 *
 * @param userId the Matrix user the access token belongs to
 * @param deviceId the device the access token belongs to, absent for tokens without one (e.g.
 *     application services)
 * @param guest whether the token belongs to a guest account
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#using-access-tokens">Using access
 *     tokens</a>
 */
public record Requester(UserId userId, Optional<DeviceId> deviceId, boolean guest) {

    /** Requires the user and the device (possibly empty). */
    public Requester {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** A regular (non-guest) user on a device. */
    public static Requester user(UserId userId, DeviceId deviceId) {
        return new Requester(userId, Optional.of(Objects.requireNonNull(deviceId, "deviceId")), false);
    }

    /** A guest account on a device. */
    public static Requester guest(UserId userId, DeviceId deviceId) {
        return new Requester(userId, Optional.of(Objects.requireNonNull(deviceId, "deviceId")), true);
    }

    /** A user acting without a device, as application services do. */
    public static Requester withoutDevice(UserId userId) {
        return new Requester(userId, Optional.empty(), false);
    }
}
