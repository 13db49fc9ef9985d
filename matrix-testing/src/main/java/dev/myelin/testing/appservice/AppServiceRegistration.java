package dev.myelin.testing.appservice;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An application service registration, as a bridge's {@code registration.yaml} holds it: who the
 * service is, the tokens each side authenticates with, and the user ids, room aliases and room ids
 * it claims. Build one with {@link #builder(String)}; {@link #toYaml()} writes the file format a
 * homeserver loads.
 *
 * <pre>{@code
 * AppServiceRegistration irc = AppServiceRegistration.builder("irc")
 *         .senderLocalpart("ircbot")
 *         .exclusiveUsers("@irc_.*:test\\.local")
 *         .exclusiveAliases("#irc_.*:test\\.local")
 *         .build();
 * }</pre>
 *
 * @param id the unique id of the service
 * @param url where the homeserver sends transactions; in tests an in-process name that a
 *     {@link TestAppService} answers
 * @param asToken the token the service uses to call the homeserver
 * @param hsToken the token the homeserver uses to call the service
 * @param senderLocalpart the localpart of the service's own user
 * @param users namespaces of user ids (regexes over the full {@code @user:server} id)
 * @param aliases namespaces of room aliases
 * @param rooms namespaces of room ids
 * @param rateLimited whether the service's requests are rate limited
 * @param receiveEphemeral whether the service also receives ephemeral events (typing, receipts)
 * @param protocols the third-party protocols the service provides
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#registration">Registration</a>
 */
public record AppServiceRegistration(
        String id,
        URI url,
        String asToken,
        String hsToken,
        String senderLocalpart,
        List<Namespace> users,
        List<Namespace> aliases,
        List<Namespace> rooms,
        boolean rateLimited,
        boolean receiveEphemeral,
        List<String> protocols) {

    /** Checks the required fields and that the two tokens differ, and copies the lists. */
    public AppServiceRegistration {
        requireText(id, "id");
        Objects.requireNonNull(url, "url");
        requireText(asToken, "as_token");
        requireText(hsToken, "hs_token");
        requireText(senderLocalpart, "sender_localpart");
        if (asToken.equals(hsToken)) {
            throw new IllegalArgumentException("as_token and hs_token must differ");
        }
        users = List.copyOf(users);
        aliases = List.copyOf(aliases);
        rooms = List.copyOf(rooms);
        protocols = List.copyOf(protocols);
    }

    /**
     * One namespace entry: a regular expression, and whether the service claims what it matches
     * exclusively (no one else may register such users or create such aliases).
     */
    public record Namespace(String regex, boolean exclusive) {
        /** Requires a regular expression that compiles. */
        public Namespace {
            Objects.requireNonNull(regex, "regex");
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "not a regular expression: " + regex + " (" + e.getDescription() + ")", e);
            }
        }

        /** Whether {@code value} matches the whole regex. */
        public boolean matches(String value) {
            return Pattern.compile(regex).matcher(value).matches();
        }
    }

    /** A builder for the service {@code id}, with random tokens and an in-process URL. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The service's own user id on {@code serverName}. */
    public String senderUserId(String serverName) {
        return "@" + senderLocalpart + ":" + serverName;
    }

    /** Whether a user namespace claims {@code userId}. */
    public boolean claimsUser(String userId) {
        return users.stream().anyMatch(n -> n.matches(userId));
    }

    /** Whether an alias namespace claims {@code alias}. */
    public boolean claimsAlias(String alias) {
        return aliases.stream().anyMatch(n -> n.matches(alias));
    }

    /** Whether a room namespace claims {@code roomId}. */
    public boolean claimsRoom(String roomId) {
        return rooms.stream().anyMatch(n -> n.matches(roomId));
    }

    /** The registration in the YAML format homeservers (and bridges) read. */
    public String toYaml() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("id: ").append(quote(id)).append('\n');
        yaml.append("url: ").append(quote(url.toString())).append('\n');
        yaml.append("as_token: ").append(quote(asToken)).append('\n');
        yaml.append("hs_token: ").append(quote(hsToken)).append('\n');
        yaml.append("sender_localpart: ").append(quote(senderLocalpart)).append('\n');
        yaml.append("rate_limited: ").append(rateLimited).append('\n');
        yaml.append("receive_ephemeral: ").append(receiveEphemeral).append('\n');
        yaml.append("namespaces:\n");
        namespaces(yaml, "users", users);
        namespaces(yaml, "aliases", aliases);
        namespaces(yaml, "rooms", rooms);
        if (!protocols.isEmpty()) {
            yaml.append("protocols:\n");
            protocols.forEach(p -> yaml.append("  - ").append(quote(p)).append('\n'));
        }
        return yaml.toString();
    }

    private static void namespaces(StringBuilder yaml, String kind, List<Namespace> entries) {
        if (entries.isEmpty()) {
            yaml.append("  ").append(kind).append(": []\n");
            return;
        }
        yaml.append("  ").append(kind).append(":\n");
        for (Namespace n : entries) {
            yaml.append("    - exclusive: ").append(n.exclusive()).append('\n');
            yaml.append("      regex: ").append(quote(n.regex())).append('\n');
        }
    }

    /** A single-quoted YAML scalar: backslashes stay as they are, quotes are doubled. */
    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Builds an {@link AppServiceRegistration}; only {@link #senderLocalpart(String)} is required. */
    public static final class Builder {
        private static final SecureRandom RANDOM = new SecureRandom();

        private final String id;
        private URI url;
        private String asToken = randomToken("as_");
        private String hsToken = randomToken("hs_");
        private String senderLocalpart;
        private final List<Namespace> users = new ArrayList<>();
        private final List<Namespace> aliases = new ArrayList<>();
        private final List<Namespace> rooms = new ArrayList<>();
        private boolean rateLimited;
        private boolean receiveEphemeral;
        private final List<String> protocols = new ArrayList<>();

        private Builder(String id) {
            this.id = id;
            this.url = URI.create(
                    "http://" + (id == null ? "" : id.replaceAll("[^A-Za-z0-9-]", "-")) + ".appservice.test");
        }

        /** Where transactions go; {@code http://<id>.appservice.test} unless set. */
        public Builder url(String url) {
            this.url = URI.create(url);
            return this;
        }

        /** The token the service calls the homeserver with; random unless set. */
        public Builder asToken(String token) {
            this.asToken = token;
            return this;
        }

        /** The token the homeserver calls the service with; random unless set. */
        public Builder hsToken(String token) {
            this.hsToken = token;
            return this;
        }

        /** The localpart of the service's own user (the bridge bot). Required. */
        public Builder senderLocalpart(String localpart) {
            this.senderLocalpart = localpart;
            return this;
        }

        /** Claims the user ids matching {@code regex} exclusively, e.g. {@code "@irc_.*:test\\.local"}. */
        public Builder exclusiveUsers(String regex) {
            users.add(new Namespace(regex, true));
            return this;
        }

        /** Shows interest in the user ids matching {@code regex}, without claiming them. */
        public Builder users(String regex) {
            users.add(new Namespace(regex, false));
            return this;
        }

        /** Claims the room aliases matching {@code regex} exclusively. */
        public Builder exclusiveAliases(String regex) {
            aliases.add(new Namespace(regex, true));
            return this;
        }

        /** Shows interest in the room aliases matching {@code regex}. */
        public Builder aliases(String regex) {
            aliases.add(new Namespace(regex, false));
            return this;
        }

        /** Claims the room ids matching {@code regex} exclusively. */
        public Builder exclusiveRooms(String regex) {
            rooms.add(new Namespace(regex, true));
            return this;
        }

        /** Shows interest in the room ids matching {@code regex}. */
        public Builder rooms(String regex) {
            rooms.add(new Namespace(regex, false));
            return this;
        }

        /** Whether the service's requests are rate limited; false unless set, as bridges usually are. */
        public Builder rateLimited(boolean rateLimited) {
            this.rateLimited = rateLimited;
            return this;
        }

        /** Whether the service receives ephemeral events too; false unless set. */
        public Builder receiveEphemeral(boolean receive) {
            this.receiveEphemeral = receive;
            return this;
        }

        /** Adds third-party protocols the service provides, e.g. {@code "irc"}. */
        public Builder protocols(String... names) {
            protocols.addAll(List.of(names));
            return this;
        }

        /**
         * Builds the registration, with random tokens where none were set.
         *
         * @return the registration
         * @throws IllegalArgumentException if a required field is missing or the two tokens are equal
         */
        public AppServiceRegistration build() {
            return new AppServiceRegistration(
                    id,
                    url,
                    asToken,
                    hsToken,
                    senderLocalpart,
                    users,
                    aliases,
                    rooms,
                    rateLimited,
                    receiveEphemeral,
                    protocols);
        }

        private static String randomToken(String prefix) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
