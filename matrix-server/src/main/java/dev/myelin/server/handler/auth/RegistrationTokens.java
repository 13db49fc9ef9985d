package dev.myelin.server.handler.auth;

import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.account.RegistrationTokenStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Registration's {@code m.login.registration_token} stage ({@code registration_requires_token}):
 * a valid token reserves one of its uses for the auth session (its {@code pending} count), which
 * the account's creation turns into a completed use; an abandoned session frees its use again
 * once it would have expired.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#token-authenticated-registration">Token-authenticated registration</a>
 */
public final class RegistrationTokens implements UserInteractiveAuth.Stage {
    /** The stage's type. */
    public static final String STAGE = "m.login.registration_token";

    /** The spec's opaque identifier grammar, at most 64 characters. */
    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    /** As long as a user-interactive auth session lives: a reservation never outlives its session. */
    private static final Duration RESERVATION_LIFETIME = Duration.ofMinutes(30);

    private record Reservation(String token, long atMs) {}

    private final RegistrationTokenStore store;
    private final Clock clock;
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();

    public RegistrationTokens(RegistrationTokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether {@code token} follows the grammar tokens have. */
    public static boolean wellFormed(String token) {
        return GRAMMAR.matcher(token).matches();
    }

    @Override
    public void complete(String session, AuthenticationData auth) {
        releaseExpired();
        String token = auth.token();
        if (token == null) {
            throw new MatrixException(401, ErrorCode.MISSING_PARAM, "Missing registration token");
        }
        Reservation held = reservations.get(session);
        if (held != null && held.token().equals(token)) {
            return;
        }
        long now = clock.nowMillis();
        if (!wellFormed(token) || !store.reserve(token, now)) {
            throw new MatrixException(401, ErrorCode.UNAUTHORIZED, "Invalid registration token");
        }
        Reservation previous = reservations.put(session, new Reservation(token, now));
        if (previous != null) {
            store.release(previous.token());
        }
    }

    /** The registration of {@code session} created its account: its reserved use is completed. */
    public void registered(String session) {
        Reservation reservation = reservations.remove(session);
        if (reservation != null) {
            store.complete(reservation.token());
        }
    }

    /** Whether {@code token} could register an account now; 400 {@code M_INVALID_PARAM} if malformed. */
    public boolean valid(String token) {
        if (!wellFormed(token)) {
            throw MatrixException.invalidParam(
                    "token", "registration tokens are 1 to 64 characters A-Z a-z 0-9 . _ ~ -");
        }
        return store.get(token).map(t -> t.validAt(clock.nowMillis())).orElse(false);
    }

    private void releaseExpired() {
        long cutoff = clock.nowMillis() - RESERVATION_LIFETIME.toMillis();
        reservations.forEach((session, reservation) -> {
            if (reservation.atMs() < cutoff && reservations.remove(session, reservation)) {
                store.release(reservation.token());
            }
        });
    }
}
