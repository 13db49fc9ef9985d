package dev.myelin.server.handler.appservice;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.server.config.AppServiceRegistration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The application services registered with this homeserver ({@code app_service_config_files}),
 * looked up by token, id, and by the users and aliases they claim.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#registration">Registration</a>
 */
public final class AppServices {
    private final List<AppServiceRegistration> all;
    private final Map<String, AppServiceRegistration> byToken;
    private final Map<String, AppServiceRegistration> byId;
    private final ServerName serverName;

    public AppServices(List<AppServiceRegistration> registrations, ServerName serverName) {
        this.all = List.copyOf(registrations);
        this.byToken = all.stream().collect(Collectors.toUnmodifiableMap(AppServiceRegistration::asToken, r -> r));
        this.byId = all.stream().collect(Collectors.toUnmodifiableMap(AppServiceRegistration::id, Function.identity()));
        this.serverName = serverName;
    }

    /** No application service (the default). */
    public static AppServices none(ServerName serverName) {
        return new AppServices(List.of(), serverName);
    }

    /** Every registered service, in the order of the config. */
    public List<AppServiceRegistration> all() {
        return all;
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    /** The service whose {@code as_token} this is. */
    public Optional<AppServiceRegistration> byToken(String asToken) {
        return Optional.ofNullable(byToken.get(asToken));
    }

    public Optional<AppServiceRegistration> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The user an application service acts as when it names no other. */
    public UserId senderOf(AppServiceRegistration service) {
        return UserId.of(service.senderLocalpart(), serverName);
    }

    /**
     * Whether {@code service} may act as {@code user}: its own sender, or a user of this server in
     * one of its user namespaces.
     */
    public boolean mayActAs(AppServiceRegistration service, UserId user) {
        return user.equals(senderOf(service))
                || (user.server().equals(serverName) && service.isInterestedInUser(user.toString()));
    }

    /** The service with an exclusive namespace holding {@code user}, if any. */
    public Optional<AppServiceRegistration> exclusiveOwnerOfUser(UserId user) {
        String id = user.toString();
        return all.stream().filter(s -> s.ownsUser(id)).findFirst();
    }

    /** The service with an exclusive namespace holding {@code alias}, if any. */
    public Optional<AppServiceRegistration> exclusiveOwnerOfAlias(String alias) {
        return all.stream().filter(s -> s.ownsAlias(alias)).findFirst();
    }

    /** The services with a namespace (exclusive or not) holding {@code alias}. */
    public List<AppServiceRegistration> interestedInAlias(String alias) {
        return all.stream()
                .filter(s -> s.aliases().stream().anyMatch(n -> n.matches(alias)))
                .toList();
    }

    /** The services with a namespace (exclusive or not) holding {@code user}, or whose sender it is. */
    public List<AppServiceRegistration> interestedInUser(UserId user) {
        return all.stream()
                .filter(s -> s.isInterestedInUser(user.toString()) || user.equals(senderOf(s)))
                .toList();
    }

    /** The services that declare the third-party protocol {@code protocol}. */
    public List<AppServiceRegistration> forProtocol(String protocol) {
        return all.stream().filter(s -> s.protocols().contains(protocol)).toList();
    }
}
