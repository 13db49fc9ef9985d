package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import java.util.Optional;
import java.util.Set;

/**
 * Creates or modifies an account as a server admin asks through {@code PUT
 * /_synapse/admin/v2/users/{userId}}, and resets passwords: every field of the body is checked
 * before anything changes, so bad input leaves the account as it was.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/admin_api/user_admin_api.html#create-or-modify-account">Synapse's
 *     create or modify account</a>
 */
public final class AccountEditor {
    /** The user types Synapse knows; absent is a regular user. */
    static final Set<String> USER_TYPES = Set.of("bot", "support");

    private final UserStore users;
    private final AccountHandler accounts;
    private final AccountLifecycle lifecycle;
    private final ProfileHandler profiles;

    public AccountEditor(
            UserStore users, AccountHandler accounts, AccountLifecycle lifecycle, ProfileHandler profiles) {
        this.users = users;
        this.accounts = accounts;
        this.lifecycle = lifecycle;
        this.profiles = profiles;
    }

    /** What the body of a create-or-modify asks, read and checked. */
    private record Changes(
            Optional<String> password,
            boolean logoutDevices,
            Optional<String> displayname,
            Optional<String> avatarUrl,
            Optional<Boolean> admin,
            Optional<Boolean> deactivated,
            Optional<Boolean> locked,
            boolean setsUserType,
            Optional<String> userType) {

        static Changes of(ObjectNode body) {
            Optional<String> password = AdminBody.string(body, "password");
            password.ifPresent(AccountEditor::checkPassword);
            Optional<String> displayname = AdminBody.string(body, "displayname");
            if (displayname
                    .filter(d -> d.length() > ProfileHandler.MAX_DISPLAYNAME_LENGTH)
                    .isPresent()) {
                throw AdminUsers.invalid(
                        "Invalid displayname: at most " + ProfileHandler.MAX_DISPLAYNAME_LENGTH + " characters");
            }
            Optional<String> avatarUrl = AdminBody.string(body, "avatar_url");
            if (avatarUrl
                    .filter(a -> a.length() > ProfileHandler.MAX_AVATAR_URL_LENGTH)
                    .isPresent()) {
                throw AdminUsers.invalid(
                        "Invalid avatar_url: at most " + ProfileHandler.MAX_AVATAR_URL_LENGTH + " characters");
            }
            if (displayname.filter(d -> d.indexOf('\0') >= 0).isPresent()
                    || avatarUrl.filter(a -> a.indexOf('\0') >= 0).isPresent()) {
                throw AdminUsers.invalid("Profile fields must not contain NUL");
            }
            Optional<String> userType = AdminBody.string(body, "user_type");
            if (userType.filter(t -> !USER_TYPES.contains(t)).isPresent()) {
                throw AdminUsers.invalid("Invalid user type");
            }
            return new Changes(
                    password,
                    AdminBody.bool(body, "logout_devices").orElse(true),
                    displayname,
                    avatarUrl,
                    AdminBody.bool(body, "admin"),
                    AdminBody.bool(body, "deactivated"),
                    AdminBody.bool(body, "locked"),
                    body.has("user_type"),
                    userType);
        }
    }

    /**
     * Creates {@code user} or changes it as {@code body} asks.
     *
     * @return true if the account was created, false if an existing one was modified
     */
    public boolean createOrModify(UserId admin, UserId user, ObjectNode body) {
        Changes changes = Changes.of(body);
        Optional<UserAccount> existing = users.get(user);
        if (existing.isEmpty()) {
            create(user, changes);
            return true;
        }
        modify(admin, existing.get(), changes);
        return false;
    }

    /** Sets a new password, logging the user out everywhere with {@code logoutDevices}. */
    public void resetPassword(UserId user, String newPassword, boolean logoutDevices) {
        checkPassword(newPassword);
        lifecycle.changePassword(user, newPassword, logoutDevices, Optional.empty());
    }

    private void create(UserId user, Changes changes) {
        UserId checked = accounts.validateNewUsername(user.localpart());
        accounts.createAccount(checked, changes.password(), changes.admin().orElse(false));
        changes.displayname().ifPresent(name -> setProfile(user, ProfileHandler.Field.DISPLAYNAME, name));
        changes.avatarUrl().ifPresent(url -> setProfile(user, ProfileHandler.Field.AVATAR_URL, url));
        changes.userType().ifPresent(type -> users.setUserType(user, type));
        changes.locked().filter(Boolean::booleanValue).ifPresent(locked -> users.setLocked(user, true));
        if (changes.deactivated().orElse(false)) {
            lifecycle.deactivate(user);
        }
    }

    private void modify(UserId admin, UserAccount account, Changes changes) {
        UserId user = account.userId();
        if (user.equals(admin) && changes.admin().equals(Optional.of(false))) {
            throw AdminUsers.invalid("You may not demote yourself.");
        }
        boolean reactivate = account.deactivated() && changes.deactivated().equals(Optional.of(false));
        if (reactivate && changes.password().isEmpty()) {
            throw AdminUsers.invalid("Must provide a password to re-activate an account.");
        }
        if (account.deactivated() && !reactivate && changes.password().isPresent()) {
            throw AdminUsers.invalid("Cannot set a password on a deactivated account");
        }
        if (reactivate) {
            users.reactivate(user);
        }
        changes.password()
                .ifPresent(password -> lifecycle.changePassword(
                        user, password, changes.logoutDevices() && !reactivate, Optional.empty()));
        changes.displayname().ifPresent(name -> setProfile(user, ProfileHandler.Field.DISPLAYNAME, name));
        changes.avatarUrl().ifPresent(url -> setProfile(user, ProfileHandler.Field.AVATAR_URL, url));
        changes.admin().ifPresent(flag -> users.setAdmin(user, flag));
        changes.locked().ifPresent(flag -> users.setLocked(user, flag));
        if (changes.setsUserType()) {
            users.setUserType(user, changes.userType().orElse(null));
        }
        if (changes.deactivated().orElse(false) && !account.deactivated()) {
            lifecycle.deactivate(user);
        }
    }

    private void setProfile(UserId user, ProfileHandler.Field field, String value) {
        profiles.set(user, user, field, Optional.of(value));
    }

    private static void checkPassword(String password) {
        if (password.isEmpty() || password.length() > 512) {
            throw AdminUsers.invalid("Invalid password");
        }
    }
}
