package dev.myelin.server.handler.admin;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Requester;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;

/** Who may use the admin API: accounts with the admin flag ({@code register-user --admin}). */
public final class ServerAdmins {
    private final UserStore users;

    public ServerAdmins(UserStore users) {
        this.users = users;
    }

    /** 403 {@code M_FORBIDDEN} unless {@code requester} is a server admin. */
    public void require(Requester requester) {
        if (!users.get(requester.userId()).map(UserAccount::admin).orElse(false)) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }
}
