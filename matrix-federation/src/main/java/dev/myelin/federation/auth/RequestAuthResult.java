package dev.myelin.federation.auth;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.util.Objects;

/**
 * The outcome of checking a request's X-Matrix authorisation: the origin it came from, or why it
 * is refused.
 */
public sealed interface RequestAuthResult {

    /**
     * The authenticated origin.
     *
     * @throws MatrixException 401 {@code M_UNAUTHORIZED} with the reason, when refused
     */
    ServerName originOrThrow();

    /** A request signed by {@code origin}'s key. */
    static RequestAuthResult ok(ServerName origin) {
        return new Authenticated(origin);
    }

    /** A refused request; {@code reason} is shown to the sender. */
    static RequestAuthResult rejected(String reason) {
        return new Rejected(401, reason);
    }

    /**
     * A request whose {@code Authorization} header cannot be read (bad syntax, an origin that is
     * not a server name): 400, as deployed servers answer it, with {@code M_UNAUTHORIZED}.
     */
    static RequestAuthResult malformed(String reason) {
        return new Rejected(400, reason);
    }

    /**
     * The request came from {@code origin}.
     *
     * @param origin the sending server
     */
    record Authenticated(ServerName origin) implements RequestAuthResult {
        /** Requires an origin. */
        public Authenticated {
            Objects.requireNonNull(origin, "origin");
        }

        @Override
        public ServerName originOrThrow() {
            return origin;
        }
    }

    /**
     * The request is refused.
     *
     * @param status the HTTP status to answer: 401, or 400 for a header that cannot be read
     * @param reason what was wrong, in words for the sender
     */
    record Rejected(int status, String reason) implements RequestAuthResult {
        /** Requires a reason. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        /** The answer: {@code status} with {@code M_UNAUTHORIZED} and the reason. */
        public MatrixException toException() {
            return new MatrixException(status, ErrorCode.UNAUTHORIZED, reason);
        }

        @Override
        public ServerName originOrThrow() {
            throw toException();
        }
    }
}
