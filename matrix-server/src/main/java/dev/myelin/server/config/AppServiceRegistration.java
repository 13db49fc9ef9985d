package dev.myelin.server.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One application service's registration file ({@code app_service_config_files}): who it is, how it
 * and the homeserver authenticate to each other, and which users, room aliases and rooms it is
 * interested in (or owns, when a namespace is exclusive).
 *
 * @param url where the homeserver pushes transactions; empty when the service wants no traffic
 * @param senderLocalpart the localpart of the service's own user
 * @param rateLimited whether requests of users it masquerades as are rate-limited (default true)
 * @param protocols the third-party protocols it bridges
 * @param receiveEphemeral whether it wants typing, receipts and presence pushed
 * @param file the registration file, for messages
 */
public record AppServiceRegistration(
        String id,
        Optional<URI> url,
        String asToken,
        String hsToken,
        String senderLocalpart,
        List<Namespace> users,
        List<Namespace> aliases,
        List<Namespace> rooms,
        boolean rateLimited,
        List<String> protocols,
        boolean receiveEphemeral,
        String file) {

    /**
     * One namespace: a regular expression over whole user ids, aliases or room ids.
     *
     * @param exclusive whether only this service may create users or aliases in it
     */
    public record Namespace(Pattern regex, boolean exclusive) {
        public Namespace {
            Objects.requireNonNull(regex, "regex");
        }

        /** Whether {@code id} matches (the whole of it). */
        public boolean matches(String id) {
            return regex.matcher(id).matches();
        }
    }

    public AppServiceRegistration {
        users = List.copyOf(users);
        aliases = List.copyOf(aliases);
        rooms = List.copyOf(rooms);
        protocols = List.copyOf(protocols);
    }

    /** Whether {@code userId} is in one of the service's user namespaces. */
    public boolean isInterestedInUser(String userId) {
        return users.stream().anyMatch(n -> n.matches(userId));
    }

    /** Whether {@code userId} is in one of the service's exclusive user namespaces. */
    public boolean ownsUser(String userId) {
        return users.stream().anyMatch(n -> n.exclusive() && n.matches(userId));
    }

    /** Whether {@code alias} is in one of the service's exclusive alias namespaces. */
    public boolean ownsAlias(String alias) {
        return aliases.stream().anyMatch(n -> n.exclusive() && n.matches(alias));
    }

    /** Tokens are secrets: never printed. */
    @Override
    public String toString() {
        return "AppServiceRegistration[id=" + id + ", file=" + file + "]";
    }
}
