package dev.myelin.server.replication;

import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code worker_replication_secret}: what a process of this homeserver shows another one when it calls
 * its replication endpoints ({@code Authorization: Bearer <secret>}). Without a configured secret the
 * endpoints answer nobody.
 */
public final class ReplicationSecret {
    private final Optional<byte[]> secret;

    public ReplicationSecret(Optional<String> secret) {
        this.secret = secret.filter(s -> !s.isEmpty()).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** The header value to send, when there is a secret. */
    public Optional<String> authorization() {
        return secret.map(s -> "Bearer " + new String(s, StandardCharsets.UTF_8));
    }

    /** Refuses {@code request} unless it carries the secret: 401 without one, 403 with another. */
    public void check(MatrixRequest request) {
        if (secret.isEmpty()) {
            throw new MatrixException(
                    403, ErrorCode.FORBIDDEN, "Replication is off here: worker_replication_secret is not configured");
        }
        String header = request.header("Authorization").orElseThrow(MatrixException::missingToken);
        byte[] given = header.startsWith("Bearer ")
                ? header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(given, secret.get())) {
            throw MatrixException.forbidden("Wrong replication secret");
        }
    }
}
