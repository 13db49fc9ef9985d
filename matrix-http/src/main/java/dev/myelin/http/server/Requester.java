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
 * @param appService the id of the application service whose {@code as_token} made the request,
 *     when one did (acting as its own user or as one it masquerades as with {@code user_id})
 * @param rateLimited whether the request counts against rate limits (an application service
 *     registered with {@code rate_limited: false} is exempt)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#using-access-tokens">Using access
 *     tokens</a>
 */
public record Requester(
        UserId userId, Optional<DeviceId> deviceId, boolean guest, Optional<String> appService, boolean rateLimited) {

    /** Requires the user, the device and the application service (either possibly empty). */
    public Requester {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(appService, "appService");
    }

    /** A requester that is not an application service, rate-limited. */
    public Requester(UserId userId, Optional<DeviceId> deviceId, boolean guest) {
        this(userId, deviceId, guest, Optional.empty(), true);
    }

    /**
     * A request made with application service {@code appService}'s token, as {@code userId} (its
     * own user or one it masquerades as), on {@code deviceId} when it names one of that user's devices.
     */
    public static Requester appService(
            UserId userId, Optional<DeviceId> deviceId, String appService, boolean rateLimited) {
        return new Requester(userId, deviceId, false, Optional.of(appService), rateLimited);
    }

    /** Whether an application service's token made the request. */
    public boolean isAppService() {
        return appService.isPresent();
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
