package dev.myelin.server.handler.keys;

import dev.myelin.core.concurrent.Futures;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.error.MatrixException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks other servers for their users' keys ({@code POST /_matrix/federation/v1/user/keys/query}
 * and {@code /user/keys/claim}): every server at once, each for at most the client's timeout. A
 * server that cannot be reached, answers with an error, or does not answer in time becomes a
 * {@link KeyFailure} under {@code failures}, so that the keys of the other servers still reach
 * the client.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#end-to-end-encryption">End-to-End Encryption</a>
 */
public final class RemoteKeys {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteKeys.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final FederationClient federation;
    private final Clock clock;

    public RemoteKeys(FederationClient federation, Clock clock) {
        this.federation = federation;
        this.clock = clock;
    }

    /**
     * What each server answered, and why the others did not.
     *
     * @param answers the answers by server
     * @param failures the failures by server name
     */
    record Answers<R>(Map<ServerName, R> answers, Map<String, KeyFailure> failures) {}

    /** Sends {@code spec} with each server's body to that server, all at once, and waits for them. */
    <B, R> Answers<R> ask(EndpointSpec<B, R> spec, Map<ServerName, B> bodies, Duration timeout) {
        Map<ServerName, CompletableFuture<R>> pending = new LinkedHashMap<>();
        bodies.forEach((server, body) -> pending.put(
                server,
                Futures.timeout(
                        CompletableFuture.supplyAsync(
                                () -> federation.send(server, EndpointCall.of(spec, body)),
                                task -> Thread.ofVirtual()
                                        .name("keys-" + server)
                                        .start(task)),
                        timeout,
                        clock)));
        Map<ServerName, R> answers = new LinkedHashMap<>();
        Map<String, KeyFailure> failures = new LinkedHashMap<>();
        pending.forEach((server, answer) -> {
            try {
                answers.put(server, Futures.await(answer));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.put(server.value(), new KeyFailure(503, "interrupted"));
            } catch (RuntimeException e) {
                KeyFailure failure = failure(e);
                LOG.info("{} to {} failed: {}", spec.path(), server, failure.message());
                failures.put(server.value(), failure);
            }
        });
        return new Answers<>(answers, failures);
    }

    private static KeyFailure failure(RuntimeException e) {
        Throwable cause = e.getCause() instanceof TimeoutException t ? t : e;
        return switch (cause) {
            case FederationErrorException error -> new KeyFailure(error.status(), error.getMessage());
            case FederationDeniedException denied -> new KeyFailure(403, denied.getMessage());
            case FederationUnreachableException unreachable -> new KeyFailure(503, unreachable.getMessage());
            case TimeoutException timedOut -> new KeyFailure(503, "no answer in time: " + timedOut.getMessage());
            default -> {
                LOG.warn("asking another server for keys failed", cause);
                yield new KeyFailure(503, "the request failed");
            }
        };
    }

    /** Checks a client's {@code timeout}: absent, or milliseconds not below zero. */
    static void checkTimeout(@Nullable Long timeout) {
        if (timeout != null && timeout < 0) {
            throw MatrixException.invalidParam("timeout", "must not be negative");
        }
    }

    /** A client's {@code timeout} as a duration. */
    static Duration timeout(@Nullable Long timeout) {
        return timeout == null ? DEFAULT_TIMEOUT : Duration.ofMillis(timeout);
    }
}
