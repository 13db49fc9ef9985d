package dev.myelin.server.handler.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
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
 * password, deactivate, delete devices, replace cross-signing keys) go through. An unfinished
 * dance is answered by throwing {@link MatrixException#authRequired}, so no endpoint builds the
 * 401 itself.
 *
 * <p>A session lives in memory for a bounded time and is bound to the operation that started it:
 * the requester, the method and path, and the request's own parameters (its body without {@code
 * auth}). A later request of the session for another operation is refused with 403; one that
 * carries no parameters continues with those the session remembers, which is how a client
 * finishes a registration by sending only {@code auth.session}. A completed session stays valid
 * for its operation until it expires, so retrying the same request gives the result again, as
 * the spec asks of a client that retries a completed stage.
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

    /**
     * One session: the operation it authorises ({@code body} is the bound request whose
     * parameters are {@code params}), the stages done, and the account a completed registration
     * created, so that a retry answers with the same account.
     */
    private record Session(
            Optional<UserId> user,
            HttpMethod method,
            String path,
            ObjectNode params,
            Object body,
            Set<String> completed,
            long createdMs,
            Optional<UserId> createdAccount) {

        Session withParams(ObjectNode newParams, Object newBody) {
            return new Session(user, method, path, newParams, newBody, completed, createdMs, createdAccount);
        }

        Session withCompleted(Set<String> stages) {
            return new Session(user, method, path, params, body, Set.copyOf(stages), createdMs, createdAccount);
        }

        Session withCreatedAccount(UserId account) {
            return new Session(user, method, path, params, body, completed, createdMs, Optional.of(account));
        }
    }

    /**
     * The 401 body of the auth dance, as the spec defines it: the flows, their (empty) params,
     * the session, the stages done so far (once the client has tried one), and the error of a
     * failed stage.
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

    /**
     * A request that user-interactive auth let through.
     *
     * @param session the session that authorised it
     * @param body the request to carry out: the one sent, or the one that started the session when
     *     the request sent only {@code auth}
     * @param <B> the request body type
     */
    public record Authorised<B>(String session, B body) {}

    /** Finds the local account a 3PID belongs to, for {@code m.id.thirdparty} identifiers. */
    @FunctionalInterface
    public interface ThreePidOwners {
        Optional<UserId> owner(String medium, String address);
    }

    private final ThreePidOwners threePidOwners;

    public UserInteractiveAuth(
            Clock clock, PasswordGuessLimiter passwords, ServerName serverName, ThreePidOwners threePidOwners) {
        this.threePidOwners = threePidOwners;
        this.clock = clock;
        this.passwords = passwords;
        this.serverName = serverName;
    }

    /**
     * Checks a request's {@code auth} against {@code flows}. Returns when one flow is complete;
     * otherwise throws the 401 answer of {@link MatrixException#authRequired}, which the HTTP
     * layer sends as it is, or another {@link MatrixException}: 404 for an unknown session, 403
     * for a session of another operation or a password of another account.
     *
     * @param request the request, whose method, path and requester the session is bound to
     * @param body the bound request body, whose fields other than {@code auth} are the operation's
     *     parameters
     * @param auth the request's {@code auth}, null when it has none
     * @param user the account the operation concerns, whose password {@code m.login.password} must match;
     *     empty for registration
     * @param <B> the request body type
     */
    public <B> Authorised<B> authorise(
            MatrixRequest request,
            B body,
            @Nullable AuthenticationData auth,
            List<List<String>> flows,
            Optional<UserId> user) {
        return authorise(request, body, auth, flows, user, Map.of());
    }

    /**
     * A stage that an endpoint brings to its flows (registration's {@code
     * m.login.registration_token}).
     */
    @FunctionalInterface
    public interface Stage {
        /**
         * Completes the stage for {@code session} with the client's {@code auth}, or throws a
         * {@link MatrixException} of status 401 whose error the client gets in the next
         * challenge (any other status is answered as it is).
         */
        void complete(String session, AuthenticationData auth);
    }

    /** {@link #authorise} with the endpoint's own {@code stages} too, by type. */
    public <B> Authorised<B> authorise(
            MatrixRequest request,
            B body,
            @Nullable AuthenticationData auth,
            List<List<String>> flows,
            Optional<UserId> user,
            Map<String, Stage> stages) {
        expireOldSessions();
        ObjectNode params = paramsOf(body);
        if (auth == null) {
            throw required(newSession(request, user, params, body), Set.of(), flows, false, Optional.empty());
        }
        String sessionId = auth.session();
        if (sessionId == null) {
            sessionId = newSession(request, user, params, body);
        }
        Session session = sessions.get(sessionId);
        if (session == null) {
            throw MatrixException.notFound("Unknown or expired user-interactive auth session");
        }
        if (!session.user().equals(user)
                || session.method() != request.method()
                || !session.path().equals(request.rawPath())) {
            throw operationChanged();
        }
        if (session.params().isEmpty() && !params.isEmpty()) {
            // the session was started without parameters: this request says what it is for
            session = session.withParams(params, body);
            sessions.put(sessionId, session);
        } else if (!params.isEmpty() && !params.equals(session.params())) {
            throw operationChanged();
        }
        String type = auth.type() == null ? "" : auth.type();
        Set<String> completed = new LinkedHashSet<>(session.completed());
        if (!type.isEmpty() && !completed.contains(type)) {
            boolean allowed = flows.stream().anyMatch(f -> f.contains(type));
            if (!allowed) {
                throw required(
                        sessionId,
                        completed,
                        flows,
                        true,
                        Optional.of(MatrixException.invalidParam("auth.type", "unsupported auth type " + type)));
            }
            try {
                Stage own = stages.get(type);
                if (own != null) {
                    own.complete(sessionId, auth);
                } else {
                    completeStage(type, auth, user);
                }
            } catch (MatrixException e) {
                if (e.status() != 401) {
                    // too many wrong passwords (429), another account's password (403): not a
                    // stage the client may simply try again
                    throw e;
                }
                throw required(sessionId, completed, flows, true, Optional.of(e));
            }
            completed.add(type);
            session = session.withCompleted(completed);
            sessions.put(sessionId, session);
        }
        for (List<String> flow : flows) {
            if (completed.containsAll(flow)) {
                return new Authorised<>(sessionId, castLike(body, session.body()));
            }
        }
        throw required(sessionId, completed, flows, true, Optional.empty());
    }

    /**
     * The account that a completed registration of {@code session} created, so that a retry of
     * the same registration answers with it instead of creating another.
     */
    public Optional<UserId> createdAccount(@Nullable String session) {
        if (session == null) {
            return Optional.empty();
        }
        Session found = sessions.get(session);
        return found == null ? Optional.empty() : found.createdAccount();
    }

    /** Remembers the account the registration authorised by {@code session} created. */
    public void rememberCreatedAccount(String session, UserId account) {
        sessions.computeIfPresent(session, (id, s) -> s.withCreatedAccount(account));
    }

    private void completeStage(String type, AuthenticationData auth, Optional<UserId> user) {
        switch (type) {
            case DUMMY -> {}
            case PASSWORD -> {
                UserId claimed;
                try {
                    claimed = claimedUser(auth.identifier(), auth.user())
                            .orElseThrow(() -> MatrixException.missingParam("identifier"));
                } catch (MatrixException e) {
                    throw stageFailed(e);
                }
                if (user.isPresent() && !user.get().equals(claimed)) {
                    throw MatrixException.forbidden("Authenticated as the wrong user");
                }
                String password = auth.password();
                if (password == null) {
                    throw stageFailed(MatrixException.missingParam("password"));
                }
                if (!passwords.matches(claimed, password)) {
                    throw stageFailed(MatrixException.forbidden("Invalid password"));
                }
            }
            default -> throw stageFailed(MatrixException.invalidParam("auth.type", "unsupported auth type " + type));
        }
    }

    /** A stage the client may try again: its error goes into the 401 body. */
    private static MatrixException stageFailed(MatrixException e) {
        return new MatrixException(401, e.errcode(), e.getMessage());
    }

    /**
     * The user named by {@code identifier} (m.id.user, or m.id.thirdparty: the account the 3PID
     * belongs to) or else by the legacy {@code user} key. An unknown 3PID is 403 {@code
     * M_FORBIDDEN}, as a wrong password is, so that a login does not tell which addresses exist.
     */
    public Optional<UserId> claimedUser(@Nullable UserIdentifier identifier, @Nullable String legacyUser) {
        String name = legacyUser;
        if (identifier != null) {
            if ("m.id.thirdparty".equals(identifier.type())) {
                return Optional.of(thirdPartyUser(identifier));
            }
            if (!"m.id.user".equals(identifier.type())) {
                throw new MatrixException(
                        400, ErrorCode.UNKNOWN, "Only m.id.user and m.id.thirdparty identifiers are supported");
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

    private UserId thirdPartyUser(UserIdentifier identifier) {
        if (identifier.medium() == null) {
            throw MatrixException.missingParam("identifier.medium");
        }
        if (identifier.address() == null) {
            throw MatrixException.missingParam("identifier.address");
        }
        String address = identifier.medium().equals("email")
                ? identifier.address().trim().toLowerCase(java.util.Locale.ROOT)
                : identifier.address();
        return threePidOwners
                .owner(identifier.medium(), address)
                .orElseThrow(() -> MatrixException.forbidden("Invalid username or password"));
    }

    private String newSession(MatrixRequest request, Optional<UserId> user, ObjectNode params, Object body) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        sessions.put(
                id,
                new Session(
                        user,
                        request.method(),
                        request.rawPath(),
                        params,
                        body,
                        Set.of(),
                        clock.nowMillis(),
                        Optional.empty()));
        return id;
    }

    private void expireOldSessions() {
        long cutoff = clock.nowMillis() - SESSION_LIFETIME.toMillis();
        sessions.values().removeIf(s -> s.createdMs() < cutoff);
    }

    /** The operation's parameters: the body as JSON without its {@code auth}. */
    private static ObjectNode paramsOf(Object body) {
        JsonNode tree = EndpointJson.toTree(body);
        ObjectNode params =
                tree instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
        params.remove("auth");
        return params;
    }

    /** The remembered body, of the type the endpoint binds (the same endpoint started the session). */
    private static <B> B castLike(B current, Object remembered) {
        @SuppressWarnings("unchecked")
        Class<B> type = (Class<B>) current.getClass();
        return type.isInstance(remembered) ? type.cast(remembered) : current;
    }

    private static MatrixException operationChanged() {
        return MatrixException.forbidden(
                "The requested operation has changed during the user-interactive authentication session");
    }

    private static MatrixException required(
            String session,
            Set<String> completed,
            List<List<String>> flows,
            boolean attempted,
            Optional<MatrixException> error) {
        Challenge challenge = new Challenge(
                flows.stream().map(Flow::new).toList(),
                Map.of(),
                session,
                attempted ? List.copyOf(completed) : null,
                error.map(e -> e.errcode().value()).orElse(null),
                error.map(Throwable::getMessage).orElse(null));
        return MatrixException.authRequired((ObjectNode) EndpointJson.toTree(challenge));
    }
}
