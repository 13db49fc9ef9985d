package dev.myelin.storage.account;

import java.time.Instant;
import java.util.Optional;

/**
 * Tokens just issued. These are the only copies of the token strings: the store keeps SHA-256 hashes.
 *
 * @param accessToken  the bearer token for {@code Authorization: Bearer}
 * @param refreshToken present when refresh was asked for
 * @param validUntil   when the access token expires, if it does
 */
public record IssuedTokens(String accessToken, Optional<String> refreshToken, Optional<Instant> validUntil) {
    @Override
    public String toString() {
        return "IssuedTokens[<redacted>, validUntil=" + validUntil + "]";
    }
}
