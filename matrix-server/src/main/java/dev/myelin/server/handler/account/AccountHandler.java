package dev.myelin.server.handler.account;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.auth.PasswordGuessLimiter;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.IssuedTokens;
import dev.myelin.storage.account.PasswordHasher;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Accounts: creating users, logging in devices, issuing and revoking tokens. Endpoints stay thin
 * and call this.
 */
public final class AccountHandler {
    /** Access tokens issued with a refresh token live this long (clients refresh before it ends). */
    public static final Duration REFRESHABLE_TOKEN_LIFETIME = Duration.ofMinutes(5);

    private static final String DEVICE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private final ServerName serverName;
    private final UserStore users;
    private final DeviceStore devices;
    private final AccessTokenStore tokens;
    private final ProfileStore profiles;
    private final DeviceLists deviceLists;
    private final PasswordGuessLimiter passwords;
    private final SecureRandom random = new SecureRandom();

    public AccountHandler(
            ServerName serverName,
            UserStore users,
            DeviceStore devices,
            AccessTokenStore tokens,
            ProfileStore profiles,
            DeviceLists deviceLists,
            PasswordGuessLimiter passwords) {
        this.serverName = serverName;
        this.users = users;
        this.devices = devices;
        this.tokens = tokens;
        this.profiles = profiles;
        this.deviceLists = deviceLists;
        this.passwords = passwords;
    }

    public ServerName serverName() {
        return serverName;
    }

    /** Validates a requested username (localpart or full id) and returns the user id it maps to. */
    public UserId validateNewUsername(String username) {
        return validateNewUsername(username, false);
    }

    /**
     * As {@link #validateNewUsername(String)}; for an application service ({@code forAppService}),
     * localparts that begin with {@code _} (bridges' usual ghost prefix) or are only digits are
     * allowed, since its namespace already decides what it may take.
     */
    public UserId validateNewUsername(String username, boolean forAppService) {
        String localpart = username;
        if (username.startsWith("@")) {
            UserId full;
            try {
                full = UserId.parse(username);
            } catch (InvalidIdentifierException e) {
                throw new MatrixException(400, ErrorCode.INVALID_USERNAME, e.getMessage());
            }
            if (!full.server().value().equalsIgnoreCase(serverName.value())) {
                throw new MatrixException(
                        400, ErrorCode.INVALID_USERNAME, "User ID must be on this server (" + serverName + ")");
            }
            localpart = full.localpart();
        }
        localpart = localpart.toLowerCase(Locale.ROOT);
        try {
            UserId.requireStrictLocalpart(localpart);
            UserId id = UserId.of(localpart, serverName);
            if (forAppService) {
                return id;
            }
            if (localpart.startsWith("_")) {
                throw new MatrixException(400, ErrorCode.INVALID_USERNAME, "User ID may not begin with '_'");
            }
            if (localpart.chars().allMatch(c -> c >= '0' && c <= '9')) {
                // generateUserId (and guest accounts) draw from these; a chosen one could take theirs
                throw new MatrixException(
                        400,
                        ErrorCode.INVALID_USERNAME,
                        "User IDs made only of digits are reserved for guest and generated accounts");
            }
            return id;
        } catch (InvalidIdentifierException e) {
            throw new MatrixException(400, ErrorCode.INVALID_USERNAME, e.getMessage());
        }
    }

    /** Whether {@code user} is a registered, active account of this server (logins that need no password). */
    public boolean canLogIn(UserId user) {
        return user.server().equals(serverName)
                && users.get(user).map(u -> !u.deactivated()).orElse(false);
    }

    /** A fresh numeric localpart for registrations that name no username. */
    public UserId generateUserId() {
        for (int attempt = 0; attempt < 100; attempt++) {
            UserId candidate = UserId.of(Long.toString(100_000 + random.nextInt(900_000_000)), serverName);
            if (isAvailable(candidate)) {
                return candidate;
            }
        }
        throw MatrixException.unknown("Could not allocate a user id");
    }

    public boolean isAvailable(UserId user) {
        return !users.isLocalpartTaken(user.localpart());
    }

    /** Creates the account; M_USER_IN_USE when taken. Also sets the default display name. */
    public void createAccount(UserId user, Optional<String> password, boolean admin) {
        password.ifPresent(AccountHandler::checkPasswordLength);
        if (!users.create(user, password.orElse(null), admin)) {
            throw new MatrixException(400, ErrorCode.USER_IN_USE, "User ID already taken");
        }
        profiles.setDisplayName(user, user.localpart());
    }

    /** Creates or reuses a device and issues its tokens. */
    public LoginResult loginDevice(
            UserId user, Optional<String> requestedDevice, Optional<String> displayName, boolean withRefreshToken) {
        DeviceId device =
                requestedDevice.filter(d -> !d.isEmpty()).map(this::parseDevice).orElseGet(this::newDeviceId);
        if (devices.get(user, device).isEmpty()) {
            if (devices.create(user, device, displayName.orElse(null))) {
                deviceLists.deviceAdded(user, device);
            }
        } else {
            // Logging in again with the same device id replaces its previous session.
            tokens.deleteForDevice(user, device);
        }
        IssuedTokens issued =
                tokens.issue(user, device, withRefreshToken ? REFRESHABLE_TOKEN_LIFETIME : null, withRefreshToken);
        return new LoginResult(user, device, issued, serverName.value());
    }

    /** Checks the password of a local account; M_FORBIDDEN on any mismatch, so no user enumeration. */
    public UserId checkPasswordLogin(UserId user, String password) {
        boolean local = user.server().equals(serverName);
        if (local && users.get(user).map(u -> u.deactivated()).orElse(false)) {
            // Deactivation forgets the password, so no password matches; saying why spares the
            // user guessing (the account's existence is public anyway, as its id stays taken).
            throw new MatrixException(403, ErrorCode.USER_DEACTIVATED, "This account has been deactivated");
        }
        if (!local || !passwords.matches(user, password)) {
            throw MatrixException.forbidden("Invalid username or password");
        }
        if (users.get(user).map(u -> u.locked()).orElse(false)) {
            // the spec: a locked account obtains no new access token until it is unlocked
            throw new MatrixException(401, ErrorCode.USER_LOCKED, "This account has been locked");
        }
        return user;
    }

    private DeviceId parseDevice(String value) {
        try {
            return DeviceId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("device_id", e.getMessage());
        }
    }

    private DeviceId newDeviceId() {
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(DEVICE_ALPHABET.charAt(random.nextInt(DEVICE_ALPHABET.length())));
        }
        return new DeviceId(id.toString());
    }

    /** 400 {@code M_WEAK_PASSWORD} for a password no account may have. */
    public static void checkPasswordLength(String password) {
        if (password.isEmpty()) {
            throw new MatrixException(400, ErrorCode.WEAK_PASSWORD, "Password must not be empty");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            throw MatrixException.invalidParam(
                    "password", "must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes");
        }
    }
}
