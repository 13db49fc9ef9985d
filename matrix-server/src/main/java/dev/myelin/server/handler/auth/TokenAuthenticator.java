package dev.myelin.server.handler.auth;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Authenticator;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.appservice.AppServices;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.TokenInfo;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves access tokens through the token store. An expired token is reported with
 * {@code soft_logout: true} so clients refresh instead of logging the user out.
 *
 * <p>Authenticated requests also record where their device was last seen (IP, user agent, time),
 * which {@code GET /devices} shows. A busy client makes many requests a second, so the write
 * happens at most once per {@link #LAST_SEEN_INTERVAL} per device; the value is approximate by
 * design, as in other homeservers.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#soft-logout">Soft logout</a>
 */
public final class TokenAuthenticator implements Authenticator {
    /** How often at most a device's last-seen columns are written. */
    public static final Duration LAST_SEEN_INTERVAL = Duration.ofMinutes(1);
    /** Above this many remembered devices, entries older than the interval are dropped. */
    private static final int MAX_REMEMBERED = 10_000;

    private final AccessTokenStore tokens;
    private final UserStore users;
    private final DeviceStore devices;
    private final Clock clock;
    private final AppServices appServices;
    private final Map<SeenKey, Long> lastRecorded = new ConcurrentHashMap<>();

    private record SeenKey(UserId user, DeviceId device) {}

    /** {@code appServices}' {@code as_token}s authenticate them, as their own users or those they masquerade as. */
    public TokenAuthenticator(
            AccessTokenStore tokens, UserStore users, DeviceStore devices, Clock clock, AppServices appServices) {
        this.appServices = appServices;
        this.tokens = tokens;
        this.users = users;
        this.devices = devices;
        this.clock = clock;
    }

    @Override
    public Requester authenticate(String accessToken) {
        Optional<TokenInfo> info = tokens.lookup(accessToken);
        if (info.isEmpty()) {
            boolean expired = tokens.isExpired(accessToken);
            throw MatrixException.unknownToken(
                    expired ? "Access token has expired" : "Unrecognised access token", expired);
        }
        TokenInfo token = info.get();
        Optional<UserAccount> account = users.get(token.user());
        if (account.map(u -> u.deactivated()).orElse(true)) {
            throw MatrixException.unknownToken("User account has been deactivated", false);
        }
        boolean guest = account.get().guest();
        return token.device()
                .map(device -> guest ? Requester.guest(token.user(), device) : Requester.user(token.user(), device))
                .orElseGet(() -> Requester.withoutDevice(token.user()));
    }

    @Override
    public Requester authenticate(String accessToken, MatrixRequest request) {
        Optional<AppServiceRegistration> service = appServices.byToken(accessToken);
        if (service.isPresent()) {
            return appService(service.get(), request);
        }
        Requester requester = authenticate(accessToken);
        requester.deviceId().ifPresent(device -> recordSeen(requester.userId(), device, request));
        return requester;
    }

    /**
     * An application service's request: as its own user, or as the user of its namespace that
     * {@code user_id} names, on the device {@code device_id} names.
     *
     * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#identity-assertion">Identity
     *     assertion</a>
     */
    private Requester appService(AppServiceRegistration service, MatrixRequest request) {
        UserId sender = appServices.senderOf(service);
        UserId user = sender;
        Optional<String> asked = request.queryParam("user_id");
        if (asked.isPresent()) {
            try {
                user = UserId.parse(asked.get());
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("user_id", "not a user id: " + asked.get());
            }
            if (!appServices.mayActAs(service, user)) {
                throw MatrixException.forbidden("Application service cannot masquerade as this user (" + user + ")");
            }
            if (!user.equals(sender) && users.get(user).isEmpty() && !isRegistration(request)) {
                throw MatrixException.forbidden("Application service has not registered this user (" + user + ")");
            }
        }
        if (users.get(user).map(u -> u.deactivated()).orElse(false)) {
            throw MatrixException.forbidden("User account has been deactivated");
        }
        Optional<DeviceId> device = Optional.empty();
        Optional<String> askedDevice =
                request.queryParam("device_id").or(() -> request.queryParam("org.matrix.msc3202.device_id"));
        if (askedDevice.isPresent()) {
            DeviceId id;
            try {
                id = DeviceId.parse(askedDevice.get());
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("device_id", "not a device id: " + askedDevice.get());
            }
            if (devices.get(user, id).isEmpty()) {
                throw new MatrixException(400, ErrorCode.UNKNOWN_DEVICE, "Unknown device " + id + " for " + user);
            }
            device = Optional.of(id);
        }
        return Requester.appService(user, device, service.id(), service.rateLimited());
    }

    /**
     * Whether the request is a {@code POST /register}, which is where a service's user comes to
     * exist: clients such as matrix-bot-sdk's intents name that user in {@code user_id} already
     * then, and the registration checks the name against the namespace itself.
     */
    private static boolean isRegistration(MatrixRequest request) {
        String path = request.rawPath();
        return request.method() == HttpMethod.POST && path.startsWith("/_matrix/client/") && path.endsWith("/register");
    }

    private void recordSeen(UserId user, DeviceId device, MatrixRequest request) {
        long now = clock.nowMillis();
        long interval = LAST_SEEN_INTERVAL.toMillis();
        SeenKey key = new SeenKey(user, device);
        boolean[] due = {false};
        lastRecorded.compute(key, (k, previous) -> {
            if (previous == null || now - previous >= interval) {
                due[0] = true;
                return now;
            }
            return previous;
        });
        if (!due[0]) {
            return;
        }
        if (lastRecorded.size() > MAX_REMEMBERED) {
            lastRecorded.values().removeIf(at -> now - at >= interval);
        }
        devices.recordSeen(
                user, device, request.clientIp(), request.header("User-Agent").orElse(null));
    }

    /** Forgets a device's throttle entry, so a re-created device with the same id is recorded at once. */
    public void forgetDevice(UserId user, DeviceId device) {
        lastRecorded.remove(new SeenKey(user, device));
    }
}
