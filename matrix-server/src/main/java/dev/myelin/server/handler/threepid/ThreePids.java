package dev.myelin.server.handler.threepid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.threepid.ThreePid;
import dev.myelin.storage.threepid.ThreePidStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The 3PIDs of local accounts: adding a validated one, removing one (and unbinding it from the
 * identity servers it was bound on), binding and unbinding on identity servers, and what an
 * account's deactivation does to them.
 */
public final class ThreePids {
    private final ThreePidStore store;
    private final EmailValidation validation;
    private final IdentityServerClient identityServers;
    private final Clock clock;

    public ThreePids(
            ThreePidStore store, EmailValidation validation, IdentityServerClient identityServers, Clock clock) {
        this.store = store;
        this.validation = validation;
        this.identityServers = identityServers;
        this.clock = clock;
    }

    /** The account's 3PIDs. */
    public List<ThreePid> of(UserId user) {
        return store.ofUser(user.toString());
    }

    /** The account an address belongs to, if any. */
    public Optional<UserId> owner(String medium, String address) {
        return store.owner(medium, address).map(t -> UserId.parse(t.userId()));
    }

    /**
     * Adds the address the session validated to the account; 400 {@code M_THREEPID_AUTH_FAILED}
     * when the session is not validated, {@code M_THREEPID_IN_USE} when another account has it.
     */
    public void add(UserId user, String sid, String clientSecret) {
        EmailValidation.Validated validated = validation.validated(sid, clientSecret);
        addValidated(user, validated);
    }

    /** Adds an address already validated (the email stage of a registration). */
    public void addValidated(UserId user, EmailValidation.Validated validated) {
        Optional<ThreePid> owner = store.owner(validated.medium(), validated.address());
        if (owner.isPresent()) {
            if (owner.get().userId().equals(user.toString())) {
                return;
            }
            throw new MatrixException(400, ErrorCode.THREEPID_IN_USE, "3PID is already in use");
        }
        if (!store.add(new ThreePid(
                user.toString(),
                validated.medium(),
                validated.address(),
                validated.validatedAt(),
                clock.nowMillis()))) {
            throw new MatrixException(400, ErrorCode.THREEPID_IN_USE, "3PID is already in use");
        }
    }

    /**
     * Removes the 3PID from the account and unbinds it from {@code idServer}, or else from every
     * identity server it was bound on through this server; whether every unbinding succeeded
     * ({@code id_server_unbind_result}).
     */
    public boolean delete(UserId user, String medium, String address, Optional<String> idServer) {
        boolean unbound = unbind(user, medium, address, idServer);
        store.remove(user.toString(), medium, address);
        return unbound;
    }

    /** Unbinds the 3PID from {@code idServer}, or from every identity server it was bound on; whether all succeeded. */
    public boolean unbind(UserId user, String medium, String address, Optional<String> idServer) {
        Set<String> servers = new LinkedHashSet<>();
        idServer.ifPresent(servers::add);
        if (servers.isEmpty()) {
            servers.addAll(store.idServers(user.toString(), medium, address));
        }
        boolean all = true;
        for (String server : servers) {
            if (identityServers.unbind(server, user.toString(), medium, address)) {
                store.unboundFrom(user.toString(), medium, address, server);
            } else {
                all = false;
            }
        }
        return all;
    }

    /** Binds the 3PID that the identity server validated as {@code sid} to the account there. */
    public void bind(UserId user, String idServer, String idAccessToken, String sid, String clientSecret) {
        JsonNode bound = identityServers.bind(idServer, idAccessToken, sid, clientSecret, user.toString());
        String medium = bound.path("medium").asText("");
        String address = bound.path("address").asText("");
        if (medium.isEmpty() || address.isEmpty()) {
            throw new MatrixException(400, ErrorCode.UNKNOWN, "The identity server's answer names no 3PID");
        }
        store.boundOn(user.toString(), medium, address, idServer);
    }

    /** A deactivated account loses its 3PIDs, which are unbound from the identity servers they were bound on. */
    public void deactivated(UserId user) {
        for (ThreePidStore.Binding binding : store.bindings(user.toString())) {
            if (identityServers.unbind(binding.idServer(), user.toString(), binding.medium(), binding.address())) {
                store.unboundFrom(user.toString(), binding.medium(), binding.address(), binding.idServer());
            }
        }
        store.removeAll(user.toString());
    }
}
