package dev.myelin.server.handler.appservice;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.storage.account.UserStore;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks application services about users and room aliases of their namespaces that this server does
 * not know, so that a bridge can create them on demand (a ghost user when someone invites it, a
 * portal room when someone joins its alias). A service that does not answer counts as not knowing.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#querying">Querying</a>
 */
public final class AppServiceQueries {
    private static final Logger LOG = LoggerFactory.getLogger(AppServiceQueries.class);

    private final AppServices services;
    private final AppServiceClient client;
    private final UserStore users;
    private final ServerName serverName;

    public AppServiceQueries(AppServices services, AppServiceClient client, UserStore users, ServerName serverName) {
        this.services = services;
        this.client = client;
        this.users = users;
        this.serverName = serverName;
    }

    /**
     * Whether {@code userId} exists: a user of this server that is registered, a service's sender,
     * or one that a service interested in it says exists (after making it, typically).
     */
    public boolean userExists(String userId) {
        UserId user;
        try {
            user = UserId.parse(userId);
        } catch (InvalidIdentifierException e) {
            return false;
        }
        if (!user.server().equals(serverName)) {
            return false;
        }
        if (users.get(user).isPresent()) {
            return true;
        }
        for (AppServiceRegistration service : services.interestedInUser(user)) {
            if (user.equals(services.senderOf(service))) {
                return true;
            }
            if (ask(service, () -> client.queryUser(service, userId))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The room {@code alias} of this server names: from {@code local}, or, when it knows none, from
     * {@code local} again after a service with an alias namespace holding it said it exists.
     */
    public Optional<RoomId> resolveAlias(RoomAlias alias, Function<RoomAlias, Optional<RoomId>> local) {
        Optional<RoomId> known = local.apply(alias);
        if (known.isPresent() || !alias.server().equals(serverName)) {
            return known;
        }
        for (AppServiceRegistration service : services.interestedInAlias(alias.toString())) {
            if (ask(service, () -> client.queryAlias(service, alias.toString()))) {
                Optional<RoomId> made = local.apply(alias);
                if (made.isPresent()) {
                    return made;
                }
            }
        }
        return Optional.empty();
    }

    private boolean ask(AppServiceRegistration service, java.util.function.BooleanSupplier query) {
        if (service.url().isEmpty()) {
            return false;
        }
        try {
            return query.getAsBoolean();
        } catch (OutboundHttpException e) {
            LOG.warn("application service {} did not answer a query: {}", service.id(), e.getMessage());
            return false;
        }
    }
}
