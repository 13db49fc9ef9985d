package dev.myelin.server.handler.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * User-interactive authentication: the 401 dance that sensitive endpoints (register, change
 * password, deactivate, delete devices) go through. Sessions live in memory for a bounded time;
 * a completed session is consumed by the request it authorised. An unfinished dance is answered
 * by throwing {@link MatrixException#authRequired}, so no endpoint builds the 401 itself.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#user-interactive-authentication-api">UIA</a>
 */
public final class UserInteractiveAuth {
    public static final String DUMMY = "m.login.dummy";
    public static final String PASSWORD = "m.login.password";
    private static final Duration SESSION_LIFETIME = Duration.ofMinutes(30);

    private final Clock clock;
    private final PasswordGuessLimiter passwords;
    private final ServerName serverName;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(Set<String> completed, long createdMs, Optional<UserId> user) {}

    /**
     * The 401 body of the auth dance, as the spec defines it: the flows, their (empty) params,
     * the session, the stages done so far, and the error of a failed stage.
     */
    record Challenge(
            List<Flow> flows,
            Map<String, Object> params,
            String session,
            @Nullable List<String> completed,
            @Nullable String errcode,
            @Nullable String error) {}

    /** One flow: the stages that together authorise the request. */
    record Flow(List<String> stages) {}

    public UserInteractiveAuth(Clock clock, PasswordGuessLimiter passwords, ServerName serverName) {
        this.clock = clock;
        this.passwords = passwords;
        this.serverName = serverName;
    }

    /**
     * Checks a request's {@code auth} against {@code flows}. Returns when one flow is complete
     * (the session is then consumed); otherwise throws the 401 answer of {@link
     * MatrixException#authRequired}, which the HTTP layer sends as it is, or another
     * {@link MatrixException} for an unknown session.
     *
     * @param auth the request's {@code auth}, null when it has none
     * @param user the account the operation concerns, whose password {@code m.login.password} must match;
     *     empty for registration
     */
    public void authorise(@Nullable AuthenticationData auth, List<List<String>> flows, Optional<UserId> user) {
        expireOldSessions();
        if (auth == null) {
            throw required(newSession(user), Set.of(), flows, Optional.empty());
        }
        String sessionId = auth.session();
        Session session = sessionId == null ? null : sessions.get(sessionId);
        if (sessionId != null && session == null) {
            throw MatrixException.notFound("Unknown or expired user-interactive auth session");
        }
        if (session == null) {
            sessionId = newSession(user);
            session = sessions.get(sessionId);
        }
        String type = auth.type() == null ? "" : auth.type();
        Set<String> completed = new LinkedHashSet<>(session.completed());
        if (!type.isEmpty()) {
            boolean allowed = flows.stream().anyMatch(f -> f.contains(type));
            if (!allowed) {
                throw required(
                        sessionId,
                        completed,
                        flows,
                        Optional.of(MatrixException.invalidParam("auth.type", "unsupported auth type " + type)));
            }
            try {
                completeStage(type, auth, user);
            } catch (MatrixException e) {
                if (e.status() == 429) {
                    // too many wrong passwords: the client must wait, not retry the stage at once
                    throw e;
                }
                throw required(sessionId, completed, flows, Optional.of(e));
            }
            completed.add(type);
            sessions.put(sessionId, new Session(Set.copyOf(completed), session.createdMs(), session.user()));
        }
        for (List<String> flow : flows) {
            if (completed.containsAll(flow)) {
                sessions.remove(sessionId);
                return;
            }
        }
        throw required(sessionId, completed, flows, Optional.empty());
    }

    private void completeStage(String type, AuthenticationData auth, Optional<UserId> user) {
        switch (type) {
            case DUMMY -> {}
            case PASSWORD -> {
                UserId claimed = claimedUser(auth.identifier(), auth.user())
                        .orElseThrow(() -> MatrixException.missingParam("identifier"));
                if (user.isPresent() && !user.get().equals(claimed)) {
                    throw MatrixException.forbidden("Authenticated as the wrong user");
                }
                String password = auth.password();
                if (password == null) {
                    throw MatrixException.missingParam("password");
                }
                if (!passwords.matches(claimed, password)) {
                    throw MatrixException.forbidden("Invalid password");
                }
            }
            default -> throw MatrixException.invalidParam("auth.type", "unsupported auth type " + type);
        }
    }

    /** The user named by {@code identifier} (m.id.user) or else by the legacy {@code user} key. */
    public Optional<UserId> claimedUser(@Nullable UserIdentifier identifier, @Nullable String legacyUser) {
        String name = legacyUser;
        if (identifier != null) {
            if (!"m.id.user".equals(identifier.type())) {
                throw new MatrixException(400, ErrorCode.UNKNOWN, "Only m.id.user identifiers are supported");
            }
            name = identifier.user();
        }
        if (name == null) {
            return Optional.empty();
        }
        try {
            if (!name.startsWith("@")) {
                return Optional.of(new UserId(name.toLowerCase(java.util.Locale.ROOT), serverName));
            }
            // a full id of this server is folded like a bare localpart: local accounts are lower case,
            // and a server name is a DNS name, whose case never matters
            UserId full = UserId.parse(name);
            return Optional.of(
                    full.server().value().equalsIgnoreCase(serverName.value())
                            ? new UserId(full.localpart().toLowerCase(java.util.Locale.ROOT), serverName)
                            : full);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("identifier", e.getMessage());
        }
    }

    private String newSession(Optional<UserId> user) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        sessions.put(id, new Session(Set.of(), clock.nowMillis(), user));
        return id;
    }

    private void expireOldSessions() {
        long cutoff = clock.nowMillis() - SESSION_LIFETIME.toMillis();
        sessions.values().removeIf(s -> s.createdMs() < cutoff);
    }

    private static MatrixException required(
            String session, Set<String> completed, List<List<String>> flows, Optional<MatrixException> error) {
        Challenge challenge = new Challenge(
                flows.stream().map(Flow::new).toList(),
                Map.of(),
                session,
                completed.isEmpty() ? null : List.copyOf(completed),
                error.map(e -> e.errcode().value()).orElse(null),
                error.map(Throwable::getMessage).orElse(null));
        return MatrixException.authRequired((ObjectNode) EndpointJson.toTree(challenge));
    }
}
