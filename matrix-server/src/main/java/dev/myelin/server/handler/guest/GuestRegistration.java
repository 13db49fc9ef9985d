package dev.myelin.server.handler.guest;

import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Authenticator;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.LoginResult;
import dev.myelin.storage.account.UserStore;
import java.util.Optional;

/**
 * Guest accounts' side of {@code POST /register}: {@code kind=guest} makes a guest account (a
 * numeric localpart as Synapse gives, no password, no auth stage) logged in on a new device, when
 * {@code allow_guest_access} is on; a registration carrying {@code guest_access_token} and that
 * guest's localpart as {@code username} upgrades the guest to a full account instead of creating
 * one.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#guest-access">Guest access</a>
 */
public final class GuestRegistration {
    private final AccountHandler accounts;
    private final UserStore users;
    private final Authenticator authenticator;
    private final boolean allowGuestAccess;

    /** @param allowGuestAccess {@code allow_guest_access}: whether guest accounts can be registered */
    public GuestRegistration(
            AccountHandler accounts, UserStore users, Authenticator authenticator, boolean allowGuestAccess) {
        this.accounts = accounts;
        this.users = users;
        this.authenticator = authenticator;
        this.allowGuestAccess = allowGuestAccess;
    }

    /**
     * Registers a guest account and logs it in.
     *
     * @throws MatrixException 403 {@code M_GUEST_ACCESS_FORBIDDEN} when guest access is off
     */
    public LoginResult register(Optional<String> deviceId, Optional<String> deviceDisplayName) {
        if (!allowGuestAccess) {
            throw new MatrixException(403, ErrorCode.GUEST_ACCESS_FORBIDDEN, "Guest access is disabled");
        }
        UserId guest = null;
        for (int attempt = 0; attempt < 10 && guest == null; attempt++) {
            UserId candidate = accounts.generateUserId();
            if (users.createGuest(candidate)) {
                guest = candidate;
            }
        }
        if (guest == null) {
            throw new MatrixException(500, ErrorCode.UNKNOWN, "Could not find a free guest user id");
        }
        return accounts.loginDevice(guest, deviceId, deviceDisplayName, false);
    }

    /**
     * The guest account {@code guestAccessToken} belongs to, which a registration naming its
     * localpart as {@code username} upgrades.
     *
     * @throws MatrixException 403 {@code M_FORBIDDEN} when the token is not a guest's, or {@code
     *     username} is not that guest's; 400 {@code M_MISSING_PARAM} without {@code username};
     *     401 {@code M_UNKNOWN_TOKEN} for an unknown token
     */
    public UserId guestToUpgrade(String guestAccessToken, Optional<String> username) {
        if (username.isEmpty()) {
            throw MatrixException.missingParam("username");
        }
        Requester owner = authenticator.authenticate(guestAccessToken);
        if (!owner.guest()) {
            throw MatrixException.forbidden("guest_access_token is not a guest account's");
        }
        String wanted = username.get();
        boolean same = wanted.equals(owner.userId().localpart())
                || wanted.equals(owner.userId().toString());
        if (!same) {
            throw MatrixException.forbidden("guest_access_token belongs to another user than " + wanted);
        }
        return owner.userId();
    }

    /**
     * Makes {@code guest} a full account with {@code password}.
     *
     * @throws MatrixException 400 {@code M_USER_IN_USE} when it is no longer a guest account (upgraded already)
     */
    public void upgrade(UserId guest, String password) {
        AccountHandler.checkPasswordLength(password);
        if (!users.upgradeGuest(guest, password)) {
            throw new MatrixException(400, ErrorCode.USER_IN_USE, "User ID already taken");
        }
    }
}
