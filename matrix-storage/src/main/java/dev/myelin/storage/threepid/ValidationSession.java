package dev.myelin.storage.threepid;

import java.util.Optional;

/**
 * A {@code requestToken} session: the address the server sent {@code token} to, and whether the
 * token came back.
 *
 * @param sessionId the {@code sid} the client got
 * @param medium {@code email}
 * @param address the address validated
 * @param clientSecret the client's secret, which every later use of the session must show
 * @param sendAttempt the highest {@code send_attempt} the client sent
 * @param token the token mailed to the address
 * @param tokenExpires when the token stops being accepted, ms since the epoch
 * @param nextLink where submit_token sends the browser after validating, when the client asked
 * @param validatedAt when the token came back, empty until then
 */
public record ValidationSession(
        String sessionId,
        String medium,
        String address,
        String clientSecret,
        long sendAttempt,
        String token,
        long tokenExpires,
        Optional<String> nextLink,
        Optional<Long> validatedAt) {}
