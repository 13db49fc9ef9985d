package dev.myelin.server.handler.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.ErasedUserStore;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes that outlive a session: a new password (optionally logging out every other device)
 * and deactivation (no more logins, no devices or tokens, out of every room).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#account-management">Account management</a>
 */
public final class AccountLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(AccountLifecycle.class);

    private final UserStore users;
    private final AccessTokenStore tokenStore;
    private final StateStore state;
    private final DeviceHandler devices;
    private final EventCreator events;
    private final ErasedUserStore erased;
    private final List<Consumer<UserId>> deactivationListeners = new CopyOnWriteArrayList<>();

    public AccountLifecycle(
            UserStore users,
            AccessTokenStore tokenStore,
            StateStore state,
            DeviceHandler devices,
            EventCreator events,
            ErasedUserStore erased) {
        this.erased = erased;
        this.users = users;
        this.tokenStore = tokenStore;
        this.state = state;
        this.devices = devices;
        this.events = events;
    }

    /**
     * Runs {@code listener} for each account deactivated from now on, once the account is marked
     * deactivated (the 3PIDs area unbinds the account's 3PIDs there). A failing listener is logged.
     */
    public void onDeactivation(Consumer<UserId> listener) {
        deactivationListeners.add(listener);
    }

    /**
     * Sets a new password. With {@code logoutDevices}, every other device is deleted with its
     * tokens; the requesting device keeps working, as the spec asks.
     */
    public void changePassword(UserId user, String newPassword, boolean logoutDevices, Optional<DeviceId> current) {
        AccountHandler.checkPasswordLength(newPassword);
        if (!users.setPassword(user, newPassword)) {
            throw MatrixException.notFound("Unknown user");
        }
        if (logoutDevices) {
            devices.deleteAllExcept(user, current);
        }
    }

    /**
     * Deactivates the account: marks it deactivated (which also forgets the password), revokes
     * every token, deletes every device, then leaves each joined room and rejects each pending
     * invite. A room that refuses the leave is logged and skipped; the account is deactivated
     * regardless.
     */
    public void deactivate(UserId user) {
        deactivate(user, false);
    }

    /**
     * Deactivates the account as {@link #deactivate(UserId)} does; with {@code erase}, the user is
     * also marked erased first, so that from then on their events are served redacted to anyone
     * who was not joined when they were sent (Synapse's reading of the spec's "forget messages").
     */
    public void deactivate(UserId user, boolean erase) {
        if (!users.deactivate(user)) {
            throw MatrixException.notFound("Unknown user");
        }
        if (erase) {
            erased.erase(user);
        }
        for (Consumer<UserId> listener : deactivationListeners) {
            try {
                listener.accept(user);
            } catch (RuntimeException e) {
                LOG.warn("a deactivation step failed for {}", user, e);
            }
        }
        tokenStore.deleteForUser(user);
        devices.deleteAllExcept(user, Optional.empty());
        List<RoomId> rooms = new ArrayList<>(state.roomsForUser(user, Membership.JOIN));
        rooms.addAll(state.roomsForUser(user, Membership.INVITE));
        rooms.addAll(state.roomsForUser(user, Membership.KNOCK));
        for (RoomId room : rooms) {
            try {
                events.create(EventRequest.state(
                        room,
                        user,
                        "m.room.member",
                        user.toString(),
                        JsonNodeFactory.instance.objectNode().put("membership", Membership.LEAVE.value())));
            } catch (MatrixException e) {
                LOG.warn("could not leave {} while deactivating {}", room, user, e);
            }
        }
    }
}
