package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.ACCESS_TOKENS;
import static dev.myelin.storage.schema.Tables.REFRESH_TOKENS;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.RowCache;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.schema.tables.records.RefreshTokensRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Access and refresh tokens. Tokens are 256 random bits from {@link SecureRandom}; only their SHA-256 hashes
 * are stored, so a leaked database does not leak usable tokens.
 *
 * <p>Expiry is exact: a token whose {@code valid_until} equals the clock's current millisecond is already
 * expired (the spec's {@code expires_in_ms} counts down to the moment the token stops working).
 *
 * <p>Every authenticated request looks its token up, so known tokens are cached by hash under {@link #CACHE}.
 * Expiry is checked against the clock on each lookup, cached or not; every delete (logout, logout/all, device
 * deletion, refresh, deactivation) invalidates the hashes it removed once its transaction has committed, so a
 * deleted token is refused by the next request.
 */
public final class AccessTokenStore {
    private static final String ACCESS_PREFIX = "myl_";
    private static final String REFRESH_PREFIX = "mylr_";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** The name the token cache registers under; its keys are token hashes. */
    public static final String CACHE = "access-tokens";

    private final Database db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final RowCache<StoredToken> cache;

    /** A token's row: its owner and expiry. */
    private record StoredToken(
            UserId user,
            Optional<DeviceId> device,
            @Nullable Long validUntilMs) {}

    /**
     * Creates the store.
     *
     * @param db the database
     * @param clock the time source for timestamps and expiry
     */
    public AccessTokenStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.cache = new RowCache<>(CACHE, db, 100_000);
    }

    /**
     * Issues an access token for {@code user} (and {@code device}), valid for {@code lifetime} or until
     * deleted, plus a refresh token when {@code withRefreshToken}.
     */
    public IssuedTokens issue(
            UserId user, @Nullable DeviceId device, @Nullable Duration lifetime, boolean withRefreshToken) {
        return db.write(
                tx -> issue(tx, user, Optional.ofNullable(device), Optional.ofNullable(lifetime), withRefreshToken));
    }

    private IssuedTokens issue(
            Transaction tx,
            UserId user,
            Optional<DeviceId> device,
            Optional<Duration> lifetime,
            boolean withRefreshToken) {
        long now = clock.nowMillis();
        String access = newToken(ACCESS_PREFIX);
        Optional<String> refresh = withRefreshToken ? Optional.of(newToken(REFRESH_PREFIX)) : Optional.empty();
        Optional<Instant> validUntil = lifetime.map(l -> Instant.ofEpochMilli(now + l.toMillis()));
        if (refresh.isPresent()) {
            tx.dsl()
                    .insertInto(REFRESH_TOKENS)
                    .set(REFRESH_TOKENS.TOKEN_HASH, hash(refresh.get()))
                    .set(REFRESH_TOKENS.USER_ID, user.toString())
                    .set(REFRESH_TOKENS.DEVICE_ID, device.map(DeviceId::value).orElse(null))
                    .set(REFRESH_TOKENS.CREATED_TS, now)
                    .execute();
        }
        tx.dsl()
                .insertInto(ACCESS_TOKENS)
                .set(ACCESS_TOKENS.TOKEN_HASH, hash(access))
                .set(ACCESS_TOKENS.USER_ID, user.toString())
                .set(ACCESS_TOKENS.DEVICE_ID, device.map(DeviceId::value).orElse(null))
                .set(ACCESS_TOKENS.CREATED_TS, now)
                .set(
                        ACCESS_TOKENS.VALID_UNTIL_MS,
                        validUntil.map(Instant::toEpochMilli).orElse(null))
                .set(
                        ACCESS_TOKENS.REFRESH_TOKEN_HASH,
                        refresh.map(AccessTokenStore::hash).orElse(null))
                .execute();
        return new IssuedTokens(access, refresh, validUntil);
    }

    /** Whom {@code token} belongs to; empty if it is unknown or has expired. */
    public Optional<TokenInfo> lookup(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        StoredToken row = cache.get(hash(token), this::load);
        if (row == null || (row.validUntilMs() != null && isPast(row.validUntilMs()))) {
            return Optional.empty();
        }
        return Optional.of(new TokenInfo(
                row.user(),
                row.device(),
                Optional.ofNullable(row.validUntilMs()).map(Instant::ofEpochMilli)));
    }

    /** The row of a token hash, or null (not cached) when there is none. */
    private @Nullable StoredToken load(String tokenHash) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(ACCESS_TOKENS)
                        .where(ACCESS_TOKENS.TOKEN_HASH.eq(tokenHash))
                        .fetchOptional())
                .map(r -> new StoredToken(
                        UserId.parse(r.getUserId()),
                        Optional.ofNullable(r.getDeviceId()).map(DeviceId::new),
                        r.getValidUntilMs()))
                .orElse(null);
    }

    /**
     * True when {@code token} was issued here and has expired (so the client should refresh: a soft
     * logout), false when it is valid or unknown.
     */
    public boolean isExpired(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        Long validUntil = db.read(tx -> tx.dsl()
                        .select(ACCESS_TOKENS.VALID_UNTIL_MS)
                        .from(ACCESS_TOKENS)
                        .where(ACCESS_TOKENS.TOKEN_HASH.eq(hash(token)))
                        .fetchOptional(ACCESS_TOKENS.VALID_UNTIL_MS))
                .orElse(null);
        return validUntil != null && isPast(validUntil);
    }

    /** A token is valid up to and including its expiry instant, and invalid one millisecond after. */
    private boolean isPast(long validUntilMs) {
        return validUntilMs < clock.nowMillis();
    }

    /**
     * Exchanges a refresh token for a new access and refresh token pair; the old refresh token and the access
     * tokens issued with it stop working. Empty if the refresh token is unknown (or was already used).
     */
    public Optional<IssuedTokens> refresh(@Nullable String refreshToken, @Nullable Duration lifetime) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            return Optional.empty();
        }
        String oldHash = hash(refreshToken);
        return db.write(tx -> {
            RefreshTokensRecord old = tx.dsl()
                    .selectFrom(REFRESH_TOKENS)
                    .where(REFRESH_TOKENS.TOKEN_HASH.eq(oldHash))
                    .fetchOne();
            if (old == null) {
                return Optional.<IssuedTokens>empty();
            }
            if (tx.dsl()
                            .deleteFrom(REFRESH_TOKENS)
                            .where(REFRESH_TOKENS.TOKEN_HASH.eq(oldHash))
                            .execute()
                    != 1) {
                return Optional.<IssuedTokens>empty(); // used concurrently
            }
            cache.invalidateAfterCommit(
                    tx,
                    tx.dsl()
                            .deleteFrom(ACCESS_TOKENS)
                            .where(ACCESS_TOKENS.REFRESH_TOKEN_HASH.eq(oldHash))
                            .returning(ACCESS_TOKENS.TOKEN_HASH)
                            .fetch(ACCESS_TOKENS.TOKEN_HASH));
            return Optional.of(issue(
                    tx,
                    UserId.parse(old.getUserId()),
                    Optional.ofNullable(old.getDeviceId()).map(DeviceId::new),
                    Optional.ofNullable(lifetime),
                    true));
        });
    }

    /** Deletes one access token (logout); true if it existed. */
    public boolean delete(String token) {
        String h = hash(token);
        return db.write(tx -> {
            String refresh = tx.dsl()
                    .select(ACCESS_TOKENS.REFRESH_TOKEN_HASH)
                    .from(ACCESS_TOKENS)
                    .where(ACCESS_TOKENS.TOKEN_HASH.eq(h))
                    .fetchOne(ACCESS_TOKENS.REFRESH_TOKEN_HASH);
            if (refresh != null) {
                tx.dsl()
                        .deleteFrom(REFRESH_TOKENS)
                        .where(REFRESH_TOKENS.TOKEN_HASH.eq(refresh))
                        .execute();
            }
            cache.invalidateAfterCommit(tx, List.of(h));
            return tx.dsl()
                            .deleteFrom(ACCESS_TOKENS)
                            .where(ACCESS_TOKENS.TOKEN_HASH.eq(h))
                            .execute()
                    == 1;
        });
    }

    /** Deletes every access and refresh token of one device; returns how many access tokens went. */
    public int deleteForDevice(UserId user, DeviceId device) {
        return db.write(tx -> {
            tx.dsl()
                    .deleteFrom(REFRESH_TOKENS)
                    .where(REFRESH_TOKENS.USER_ID.eq(user.toString()))
                    .and(REFRESH_TOKENS.DEVICE_ID.eq(device.value()))
                    .execute();
            List<String> deleted = tx.dsl()
                    .deleteFrom(ACCESS_TOKENS)
                    .where(ACCESS_TOKENS.USER_ID.eq(user.toString()))
                    .and(ACCESS_TOKENS.DEVICE_ID.eq(device.value()))
                    .returning(ACCESS_TOKENS.TOKEN_HASH)
                    .fetch(ACCESS_TOKENS.TOKEN_HASH);
            cache.invalidateAfterCommit(tx, deleted);
            return deleted.size();
        });
    }

    /** Deletes every access and refresh token of a user (logout/all, deactivation). */
    public int deleteForUser(UserId user) {
        return db.write(tx -> {
            tx.dsl()
                    .deleteFrom(REFRESH_TOKENS)
                    .where(REFRESH_TOKENS.USER_ID.eq(user.toString()))
                    .execute();
            List<String> deleted = tx.dsl()
                    .deleteFrom(ACCESS_TOKENS)
                    .where(ACCESS_TOKENS.USER_ID.eq(user.toString()))
                    .returning(ACCESS_TOKENS.TOKEN_HASH)
                    .fetch(ACCESS_TOKENS.TOKEN_HASH);
            cache.invalidateAfterCommit(tx, deleted);
            return deleted.size();
        });
    }

    private String newToken(String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + ENCODER.encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
