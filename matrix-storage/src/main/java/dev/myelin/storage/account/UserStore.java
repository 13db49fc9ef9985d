package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.USERS;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.ConstraintViolationException;
import dev.myelin.storage.Database;
import dev.myelin.storage.RowCache;
import dev.myelin.storage.schema.tables.records.UsersRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Local user accounts: creation, password checks, deactivation.
 *
 * <p>Every authenticated request reads its user's account (is it deactivated?), so accounts are cached under
 * {@link #CACHE}; each write here invalidates its user once committed.
 */
public final class UserStore {
    private final Database db;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final RowCache<UserAccount> accounts;

    /** The name the account cache registers under; its keys are user ids. */
    public static final String CACHE = "user-accounts";

    /**
     * Creates the store.
     *
     * @param db the database
     * @param clock the time source for timestamps and expiry
     * @param hasher hashes and checks passwords
     */
    public UserStore(Database db, Clock clock, PasswordHasher hasher) {
        this.db = db;
        this.clock = clock;
        this.hasher = hasher;
        this.accounts = new RowCache<>(CACHE, db, 100_000);
    }

    /**
     * Creates an account, with a password unless {@code password} is empty (e.g. SSO or appservice users).
     * Returns false, changing nothing, when the localpart is already taken.
     */
    public boolean create(UserId user, @Nullable String password, boolean admin) {
        return create(user, password, admin, false);
    }

    /**
     * Creates a guest account: no password, {@link UserAccount#guest()} set. Returns false, changing
     * nothing, when the localpart is already taken.
     */
    public boolean createGuest(UserId user) {
        return create(user, null, false, true);
    }

    private boolean create(UserId user, @Nullable String password, boolean admin, boolean guest) {
        String hash = password == null ? null : hasher.hash(password); // hash outside the write transaction: it is slow
        try {
            return db.write(tx -> {
                if (tx.dsl().fetchExists(USERS, USERS.LOCALPART.eq(user.localpart()))) {
                    return false;
                }
                accounts.invalidateAfterCommit(tx, user.toString());
                tx.dsl()
                        .insertInto(USERS)
                        .set(USERS.USER_ID, user.toString())
                        .set(USERS.LOCALPART, user.localpart())
                        .set(USERS.PASSWORD_HASH, hash)
                        .set(USERS.CREATION_TS, clock.nowMillis())
                        .set(USERS.ADMIN, admin)
                        .set(USERS.DEACTIVATED, false)
                        .set(USERS.IS_GUEST, guest)
                        .execute();
                return true;
            });
        } catch (ConstraintViolationException e) {
            return false; // a concurrent registration won the race
        }
    }

    /** The account, if it exists. */
    public Optional<UserAccount> get(UserId user) {
        return Optional.ofNullable(accounts.get(
                user.toString(),
                id -> db.read(tx -> tx.dsl()
                                .selectFrom(USERS)
                                .where(USERS.USER_ID.eq(id))
                                .fetchOptional())
                        .map(UserStore::toAccount)
                        .orElse(null)));
    }

    /** A page of accounts, and how many there are in all, for the admin API's user list. */
    public record Page(List<UserAccount> accounts, long total) {}

    /**
     * Accounts ordered by user id, from the {@code from}-th on, at most {@code limit}; only those
     * whose user id contains {@code nameContains} (case-insensitively) when given, and deactivated
     * ones only when {@code includeDeactivated}.
     */
    public Page list(long from, int limit, Optional<String> nameContains, boolean includeDeactivated) {
        Condition where = DSL.noCondition();
        if (nameContains.isPresent()) {
            String escaped = nameContains
                    .get()
                    .toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\")
                    .replace("%", "\\%")
                    .replace("_", "\\_");
            where = where.and(DSL.lower(USERS.USER_ID).like("%" + escaped + "%", '\\'));
        }
        if (!includeDeactivated) {
            where = where.and(USERS.DEACTIVATED.isFalse());
        }
        Condition condition = where;
        return db.read(tx -> {
            long total = tx.dsl().fetchCount(USERS, condition);
            List<UserAccount> page = tx.dsl()
                    .selectFrom(USERS)
                    .where(condition)
                    .orderBy(USERS.USER_ID)
                    .limit(limit)
                    .offset(from)
                    .fetch(UserStore::toAccount);
            return new Page(page, total);
        });
    }

    /** Whether an account with this localpart exists (deactivated ones included: localparts are never reused). */
    public boolean isLocalpartTaken(String localpart) {
        return db.read(tx -> tx.dsl().fetchExists(USERS, USERS.LOCALPART.eq(localpart)));
    }

    /**
     * Whether {@code password} is the account's password. False for unknown, deactivated or password-less
     * accounts; an unknown user costs as much time as a wrong password.
     */
    public boolean checkPassword(UserId user, String password) {
        Optional<UsersRecord> row = db.read(tx -> tx.dsl()
                .selectFrom(USERS)
                .where(USERS.USER_ID.eq(user.toString()))
                .fetchOptional());
        if (row.isEmpty() || row.get().getPasswordHash() == null) {
            hasher.burnTime(password);
            return false;
        }
        boolean ok = hasher.matches(password, row.get().getPasswordHash());
        return ok && !row.get().getDeactivated();
    }

    /** Replaces the password; returns false if there is no such account. */
    public boolean setPassword(UserId user, String newPassword) {
        String hash = hasher.hash(newPassword);
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(USERS.PASSWORD_HASH, hash)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .execute())
                == 1;
    }

    /**
     * Makes a guest account a full one with {@code password}; returns false, changing nothing, if
     * there is no such guest account (a full account is never "upgraded" again).
     */
    public boolean upgradeGuest(UserId user, String password) {
        String hash = hasher.hash(password);
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(USERS.PASSWORD_HASH, hash)
                        .set(USERS.IS_GUEST, false)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .and(USERS.IS_GUEST.isTrue())
                        .and(USERS.DEACTIVATED.isFalse())
                        .execute())
                == 1;
    }

    /** Marks the account deactivated and forgets its password hash; returns false if there is no such account. */
    public boolean deactivate(UserId user) {
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(USERS.DEACTIVATED, true)
                        .setNull(USERS.PASSWORD_HASH)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .execute())
                == 1;
    }

    /** Grants or revokes server admin. */
    public boolean setAdmin(UserId user, boolean admin) {
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(USERS.ADMIN, admin)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .execute())
                == 1;
    }

    /** Re-activates a deactivated account (it then needs a password to log in again). */
    public boolean reactivate(UserId user) {
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(USERS.DEACTIVATED, false)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .execute())
                == 1;
    }

    /** Shadow-bans the user, or lifts the ban. */
    public boolean setShadowBanned(UserId user, boolean banned) {
        return setFlag(user, USERS.SHADOW_BANNED, banned);
    }

    /** Locks the account, or unlocks it. */
    public boolean setLocked(UserId user, boolean locked) {
        return setFlag(user, USERS.LOCKED, locked);
    }

    /** Suspends the account, or lifts the suspension. */
    public boolean setSuspended(UserId user, boolean suspended) {
        return setFlag(user, USERS.SUSPENDED, suspended);
    }

    /** Sets Synapse's user type ({@code bot}, {@code support}), or clears it with null. */
    public boolean setUserType(UserId user, @Nullable String userType) {
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(USERS.USER_TYPE, userType)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .execute())
                == 1;
    }

    private boolean setFlag(UserId user, org.jooq.TableField<UsersRecord, Boolean> flag, boolean value) {
        return db.write(tx -> changed(tx, user)
                        .update(USERS)
                        .set(flag, value)
                        .where(USERS.USER_ID.eq(user.toString()))
                        .execute())
                == 1;
    }

    /** Invalidates {@code user}'s cached account once {@code tx} commits; returns its DSL to write with. */
    private org.jooq.DSLContext changed(dev.myelin.storage.Transaction tx, UserId user) {
        accounts.invalidateAfterCommit(tx, user.toString());
        return tx.dsl();
    }

    private static UserAccount toAccount(UsersRecord r) {
        return new UserAccount(
                UserId.parse(r.getUserId()),
                Instant.ofEpochMilli(r.getCreationTs()),
                r.getAdmin(),
                r.getDeactivated(),
                r.getPasswordHash() != null,
                r.getShadowBanned(),
                r.getLocked(),
                r.getSuspended(),
                Optional.ofNullable(r.getUserType()),
                r.getIsGuest());
    }
}
