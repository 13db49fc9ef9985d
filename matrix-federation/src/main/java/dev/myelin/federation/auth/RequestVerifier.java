package dev.myelin.federation.auth;

import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Checks the X-Matrix authorisation of a request another server sent us, and names its origin.
 *
 * <p>Every {@code Authorization} header with the X-Matrix scheme counts (others are ignored); they
 * must all name the same origin, and a {@code destination}, when given, must be one of this
 * server's names. A header without {@code destination} is accepted, as the spec asks for servers
 * older than v1.3, and is checked as if it had named this server. The signed object is rebuilt from
 * the method, the request target, both names and the body, and each header's signature is checked
 * with the origin's key from the {@link ServerKeyLookup}: keys the lookup does not know, or that are
 * no longer valid, are passed over, at least one header must be signed with a known valid key, and
 * every signature by a known key must verify.
 *
 * <p>The result never fails: whatever is wrong with the request, including a lookup that throws,
 * becomes a {@link RequestAuthResult.Rejected} whose reason maps to 401 {@code M_UNAUTHORIZED}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#request-authentication">Request Authentication</a>
 */
public final class RequestVerifier {
    private final ServerName serverName;
    private final Set<ServerName> ourNames;
    private final ServerKeyLookup keys;
    private final Clock clock;

    /**
     * A verifier for requests to {@code serverName}.
     *
     * @param serverName this server's name, the destination of requests that name none
     * @param otherNames further names this server answers to, accepted as destinations
     * @param keys where remote servers' keys are found
     * @param clock the time a key must still be valid at
     */
    public RequestVerifier(ServerName serverName, Set<ServerName> otherNames, ServerKeyLookup keys, Clock clock) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        Set<ServerName> names = new HashSet<>(otherNames);
        names.add(serverName);
        this.ourNames = Set.copyOf(names);
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A verifier for a server with one name. */
    public RequestVerifier(ServerName serverName, ServerKeyLookup keys, Clock clock) {
        this(serverName, Set.of(), keys, clock);
    }

    /**
     * Checks {@code request}.
     *
     * @return a future of the origin or the reason for refusing; it does not complete exceptionally
     */
    public CompletableFuture<RequestAuthResult> verify(InboundRequest request) {
        try {
            return check(request)
                    .exceptionally(e -> RequestAuthResult.rejected("Failed to verify the request: "
                            + Optional.ofNullable(e.getMessage())
                                    .orElse(e.getClass().getSimpleName())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RequestAuthResult.rejected("Failed to verify the request: "
                    + Optional.ofNullable(e.getMessage()).orElse("internal error")));
        }
    }

    private CompletableFuture<RequestAuthResult> check(InboundRequest request) {
        List<XMatrixAuthorization> headers = new ArrayList<>();
        for (String header : request.authorization()) {
            if (XMatrixAuthorization.isXMatrix(header)) {
                try {
                    headers.add(XMatrixAuthorization.parse(header));
                } catch (MalformedAuthorizationException e) {
                    return CompletableFuture.completedFuture(RequestAuthResult.malformed(e.getMessage()));
                }
            }
        }
        if (headers.isEmpty()) {
            return rejected("Missing X-Matrix Authorization header");
        }
        ServerName origin = headers.getFirst().origin();
        if (headers.stream().anyMatch(h -> !h.origin().equals(origin))) {
            return rejected("X-Matrix Authorization headers name more than one origin");
        }
        Set<ServerName> destinations =
                headers.stream().flatMap(h -> h.destination().stream()).collect(Collectors.toSet());
        for (ServerName destination : destinations) {
            if (!ourNames.contains(destination)) {
                return rejected("Destination mismatch in X-Matrix Authorization header: " + destination
                        + " is not this server");
            }
        }
        if (destinations.size() > 1) {
            return rejected("X-Matrix Authorization headers name more than one destination");
        }
        ServerName destination = destinations.stream().findFirst().orElse(serverName);
        byte[] signed;
        try {
            // the body as sent, floats included: what it holds is the endpoint's to refuse
            signed = CanonicalJson.encodeLenient(RequestJson.of(
                    request.method(), request.uri(), origin, Optional.of(destination), request.content()));
        } catch (RuntimeException e) {
            return rejected("Request body cannot be signed as canonical JSON: " + e.getMessage());
        }
        List<CompletableFuture<Check>> checks =
                headers.stream().map(header -> checkOne(header, signed)).toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<Check> done = checks.stream().map(CompletableFuture::join).toList();
            Optional<Check> failed =
                    done.stream().filter(c -> c.kind() == Check.Kind.FAILED).findFirst();
            if (failed.isPresent()) {
                return RequestAuthResult.rejected(failed.get().reason());
            }
            if (done.stream().noneMatch(c -> c.kind() == Check.Kind.VERIFIED)) {
                return RequestAuthResult.rejected(
                        done.stream().map(Check::reason).collect(Collectors.joining("; ")));
            }
            return RequestAuthResult.ok(origin);
        });
    }

    private CompletableFuture<Check> checkOne(XMatrixAuthorization header, byte[] signed) {
        String which = header.origin() + "'s key " + header.key();
        CompletableFuture<Optional<ServerKey>> lookup;
        try {
            lookup = keys.find(header.origin(), header.key());
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        return lookup.handle((key, error) -> {
            if (error != null) {
                return Check.unknown("Failed to find " + which + ": " + rootMessage(error));
            }
            if (key == null || key.isEmpty()) {
                return Check.unknown("Failed to find " + which);
            }
            if (key.get().validUntilTs() < clock.nowMillis()) {
                return Check.unknown(which + " is no longer valid");
            }
            byte[] signature;
            try {
                signature = UnpaddedBase64.decode(header.signature());
            } catch (IllegalArgumentException e) {
                return Check.failed("X-Matrix sig is not valid base64");
            }
            if (!key.get().key().verify(signed, signature)) {
                return Check.failed("Invalid signature from " + which);
            }
            return Check.verified();
        });
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return Optional.ofNullable(cause.getMessage()).orElse(cause.getClass().getSimpleName());
    }

    private static CompletableFuture<RequestAuthResult> rejected(String reason) {
        return CompletableFuture.completedFuture(RequestAuthResult.rejected(reason));
    }

    /** The outcome of one header's signature. */
    private record Check(Kind kind, String reason) {
        enum Kind {
            VERIFIED,
            UNKNOWN_KEY,
            FAILED
        }

        static Check verified() {
            return new Check(Kind.VERIFIED, "");
        }

        static Check unknown(String reason) {
            return new Check(Kind.UNKNOWN_KEY, reason);
        }

        static Check failed(String reason) {
            return new Check(Kind.FAILED, reason);
        }
    }
}
