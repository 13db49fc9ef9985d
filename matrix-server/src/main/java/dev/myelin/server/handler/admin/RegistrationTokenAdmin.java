package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.auth.RegistrationTokens;
import dev.myelin.storage.account.RegistrationToken;
import dev.myelin.storage.account.RegistrationTokenStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * Synapse's registration token admin API: listing, creating (given or random tokens), changing
 * the uses allowed and the expiry, and deleting. Bad values are 400 {@code M_INVALID_PARAM}.
 */
public final class RegistrationTokenAdmin {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-".toCharArray();
    private static final int DEFAULT_LENGTH = 16;
    private static final int ATTEMPTS = 3;

    private final RegistrationTokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RegistrationTokenAdmin(RegistrationTokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Every token; only the valid ones, or only the invalid ones, when {@code valid} is given. */
    public List<RegistrationToken> list(Optional<Boolean> valid) {
        long now = clock.nowMillis();
        return store.all().stream()
                .filter(t -> valid.isEmpty() || t.validAt(now) == valid.get())
                .toList();
    }

    /** One token; 404 when unknown. */
    public RegistrationToken get(String token) {
        return store.get(token).orElseThrow(() -> unknown(token));
    }

    /** Creates a token from {@code body} ({@code token}, {@code uses_allowed}, {@code expiry_time}, {@code length}). */
    public RegistrationToken create(ObjectNode body) {
        Integer usesAllowed = usesAllowed(body.get("uses_allowed")).orElse(null);
        Long expiryTime = expiryTime(body.get("expiry_time")).orElse(null);
        JsonNode given = body.get("token");
        if (given != null && !given.isNull()) {
            if (!given.isTextual() || !RegistrationTokens.wellFormed(given.asText())) {
                throw MatrixException.invalidParam("token", "must be 1 to 64 characters A-Z a-z 0-9 . _ ~ -");
            }
            // length is for generated tokens only; synadm sends its default along with a given token
            if (!store.create(given.asText(), usesAllowed, expiryTime)) {
                throw MatrixException.invalidParam("token", "Token already exists");
            }
            return get(given.asText());
        }
        int length = length(body.get("length"));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String token = generate(length);
            if (store.create(token, usesAllowed, expiryTime)) {
                return get(token);
            }
        }
        throw MatrixException.unknown("Could not make a token of that length that is not taken");
    }

    /** Changes what {@code body} gives of {@code uses_allowed} and {@code expiry_time}; 404 when unknown. */
    public RegistrationToken update(String token, ObjectNode body) {
        Optional<Optional<Integer>> uses =
                body.has("uses_allowed") ? Optional.of(usesAllowed(body.get("uses_allowed"))) : Optional.empty();
        Optional<Optional<Long>> expiry =
                body.has("expiry_time") ? Optional.of(expiryTime(body.get("expiry_time"))) : Optional.empty();
        return store.update(token, uses, expiry).orElseThrow(() -> unknown(token));
    }

    /** Deletes a token; 404 when unknown. */
    public void delete(String token) {
        if (!store.delete(token)) {
            throw unknown(token);
        }
    }

    private static Optional<Integer> usesAllowed(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            throw MatrixException.invalidParam("uses_allowed", "must be a non-negative integer or null");
        }
        return Optional.of(value.asInt());
    }

    private Optional<Long> expiryTime(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw MatrixException.invalidParam("expiry_time", "must be an integer (ms since the epoch) or null");
        }
        if (value.asLong() < clock.nowMillis()) {
            throw MatrixException.invalidParam("expiry_time", "must not be in the past");
        }
        return Optional.of(value.asLong());
    }

    private static int length(JsonNode value) {
        if (value == null || value.isNull()) {
            return DEFAULT_LENGTH;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 64) {
            throw MatrixException.invalidParam("length", "must be an integer from 1 to 64");
        }
        return value.asInt();
    }

    private String generate(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    private static MatrixException unknown(String token) {
        return MatrixException.notFound("No such registration token: " + token);
    }
}
