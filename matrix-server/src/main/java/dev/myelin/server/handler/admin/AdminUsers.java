package dev.myelin.server.handler.admin;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Requester;
import dev.myelin.storage.account.Profile;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import java.util.List;
import java.util.Optional;

/**
 * The accounts as Synapse's admin API shows them to server admins (users with the admin flag):
 * a paged list and one account's details.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/admin_api/user_admin_api.html">Synapse's
 *     user admin API</a>
 */
public final class AdminUsers {
    /** The most accounts one page lists. */
    public static final int MAX_LIMIT = 1000;

    private final UserStore users;
    private final ProfileStore profiles;
    private final ServerName serverName;

    public AdminUsers(UserStore users, ProfileStore profiles, ServerName serverName) {
        this.users = users;
        this.profiles = profiles;
        this.serverName = serverName;
    }

    /** One account as the admin API shows it. */
    public record Account(
            String name,
            boolean admin,
            boolean deactivated,
            boolean isGuest,
            boolean shadowBanned,
            boolean erased,
            boolean locked,
            boolean suspended,
            boolean approved,
            long creationTs,
            String displayname,
            String avatarUrl,
            String userType) {}

    /** A page of the list: {@code nextToken} is the {@code from} of the next page, absent on the last. */
    public record Page(List<Account> users, long total, Optional<String> nextToken) {}

    /** 400 {@code M_INVALID_PARAM} with exactly {@code message}, as Synapse's admin API words its refusals. */
    public static MatrixException invalid(String message) {
        return new MatrixException(400, ErrorCode.INVALID_PARAM, message);
    }

    /** 403 {@code M_FORBIDDEN} unless {@code requester} is a server admin. */
    public void requireAdmin(Requester requester) {
        boolean admin = users.get(requester.userId()).map(UserAccount::admin).orElse(false);
        if (!admin) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }

    /** The accounts ordered by user id, from the {@code from}-th on. */
    public Page list(long from, int limit, Optional<String> name, boolean includeDeactivated) {
        if (from < 0) {
            throw MatrixException.invalidParam("from", "must not be negative");
        }
        if (limit < 0) {
            throw MatrixException.invalidParam("limit", "must not be negative");
        }
        UserStore.Page page = users.list(from, Math.min(limit, MAX_LIMIT), name, includeDeactivated);
        List<Account> accounts = page.accounts().stream().map(this::account).toList();
        long next = from + accounts.size();
        return new Page(
                accounts, page.total(), next < page.total() ? Optional.of(Long.toString(next)) : Optional.empty());
    }

    /** One account of this server; 404 {@code M_NOT_FOUND} for an unknown one, 400 for another server's. */
    public Account get(String userId) {
        UserId user;
        try {
            user = UserId.parse(userId);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", "not a user id: " + userId);
        }
        if (!user.server().equals(serverName)) {
            throw invalid("Can only look up local users");
        }
        return users.get(user).map(this::account).orElseThrow(() -> MatrixException.notFound("User not found"));
    }

    /**
     * The user {@code userId} names, which must be of this server: 400 {@code M_INVALID_PARAM}
     * with {@code notLocal} (Synapse's message of the endpoint) for another server's.
     */
    public UserId localUser(String userId, String notLocal) {
        UserId user;
        try {
            user = UserId.parse(userId);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", "not a user id: " + userId);
        }
        if (!user.server().equals(serverName)) {
            throw invalid(notLocal);
        }
        return user;
    }

    /** The account of a local user; 404 {@code M_NOT_FOUND} when there is none. */
    public UserAccount existing(UserId user) {
        return users.get(user).orElseThrow(() -> MatrixException.notFound("User not found"));
    }

    /** The account as the admin API shows it; 404 {@code M_NOT_FOUND} when there is none. */
    public Account get(UserId user) {
        return account(existing(user));
    }

    private Account account(UserAccount account) {
        Profile profile = profiles.get(account.userId());
        return new Account(
                account.userId().toString(),
                account.admin(),
                account.deactivated(),
                false,
                account.shadowBanned(),
                false,
                account.locked(),
                account.suspended(),
                true,
                account.createdAt().toEpochMilli(),
                profile.displayName().orElse(null),
                profile.avatarUrl().orElse(null),
                account.userType().orElse(null));
    }
}
