package dev.myelin.storage.threepid;

import static dev.myelin.storage.schema.Tables.THREEPID_VALIDATION_SESSIONS;
import static dev.myelin.storage.schema.Tables.USER_THREEPIDS;
import static dev.myelin.storage.schema.Tables.USER_THREEPID_ID_SERVER;

import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.ThreepidValidationSessionsRecord;
import dev.myelin.storage.schema.tables.records.UserThreepidsRecord;
import java.util.List;
import java.util.Optional;

/**
 * The 3PIDs of local accounts, the identity servers they are bound on, and the validation
 * sessions that prove an address belongs to whoever asks to add it.
 */
public final class ThreePidStore {
    private final Database db;

    public ThreePidStore(Database db) {
        this.db = db;
    }

    /** The account's 3PIDs, oldest first. */
    public List<ThreePid> ofUser(String userId) {
        return db.read(tx -> tx.dsl()
                .selectFrom(USER_THREEPIDS)
                .where(USER_THREEPIDS.USER_ID.eq(userId))
                .orderBy(USER_THREEPIDS.ADDED_AT, USER_THREEPIDS.MEDIUM, USER_THREEPIDS.ADDRESS)
                .fetch(ThreePidStore::toThreePid));
    }

    /** Who {@code address} belongs to here, if anyone. */
    public Optional<ThreePid> owner(String medium, String address) {
        if (unstorable(medium, address)) {
            return Optional.empty();
        }
        return db.read(tx -> tx.dsl()
                .selectFrom(USER_THREEPIDS)
                .where(USER_THREEPIDS.MEDIUM.eq(medium), USER_THREEPIDS.ADDRESS.eq(address))
                .fetchOptional(ThreePidStore::toThreePid));
    }

    /** Adds the 3PID to the account; false if it already belongs to an account (this one or another). */
    public boolean add(ThreePid threePid) {
        return db.write(tx -> tx.dsl()
                        .insertInto(USER_THREEPIDS)
                        .set(USER_THREEPIDS.MEDIUM, threePid.medium())
                        .set(USER_THREEPIDS.ADDRESS, threePid.address())
                        .set(USER_THREEPIDS.USER_ID, threePid.userId())
                        .set(USER_THREEPIDS.VALIDATED_AT, threePid.validatedAt())
                        .set(USER_THREEPIDS.ADDED_AT, threePid.addedAt())
                        .onConflictDoNothing()
                        .execute()
                == 1);
    }

    /** Removes the 3PID from the account; false if the account did not have it. */
    public boolean remove(String userId, String medium, String address) {
        return db.write(tx -> tx.dsl()
                        .deleteFrom(USER_THREEPIDS)
                        .where(
                                USER_THREEPIDS.USER_ID.eq(userId),
                                USER_THREEPIDS.MEDIUM.eq(medium),
                                USER_THREEPIDS.ADDRESS.eq(address))
                        .execute()
                == 1);
    }

    /** Removes every 3PID of the account (its deactivation). */
    public void removeAll(String userId) {
        db.update(tx -> tx.dsl()
                .deleteFrom(USER_THREEPIDS)
                .where(USER_THREEPIDS.USER_ID.eq(userId))
                .execute());
    }

    /** Remembers that the account bound the 3PID on {@code idServer}. */
    public void boundOn(String userId, String medium, String address, String idServer) {
        db.update(tx -> tx.dsl()
                .insertInto(USER_THREEPID_ID_SERVER)
                .set(USER_THREEPID_ID_SERVER.USER_ID, userId)
                .set(USER_THREEPID_ID_SERVER.MEDIUM, medium)
                .set(USER_THREEPID_ID_SERVER.ADDRESS, address)
                .set(USER_THREEPID_ID_SERVER.ID_SERVER, idServer)
                .onConflictDoNothing()
                .execute());
    }

    /** Forgets that binding. */
    public void unboundFrom(String userId, String medium, String address, String idServer) {
        db.update(tx -> tx.dsl()
                .deleteFrom(USER_THREEPID_ID_SERVER)
                .where(
                        USER_THREEPID_ID_SERVER.USER_ID.eq(userId),
                        USER_THREEPID_ID_SERVER.MEDIUM.eq(medium),
                        USER_THREEPID_ID_SERVER.ADDRESS.eq(address),
                        USER_THREEPID_ID_SERVER.ID_SERVER.eq(idServer))
                .execute());
    }

    /** The identity servers the account bound the 3PID on through this server. */
    public List<String> idServers(String userId, String medium, String address) {
        return db.read(tx -> tx.dsl()
                .select(USER_THREEPID_ID_SERVER.ID_SERVER)
                .from(USER_THREEPID_ID_SERVER)
                .where(
                        USER_THREEPID_ID_SERVER.USER_ID.eq(userId),
                        USER_THREEPID_ID_SERVER.MEDIUM.eq(medium),
                        USER_THREEPID_ID_SERVER.ADDRESS.eq(address))
                .orderBy(USER_THREEPID_ID_SERVER.ID_SERVER)
                .fetch(USER_THREEPID_ID_SERVER.ID_SERVER));
    }

    /** Every binding of the account: medium, address and identity server. */
    public List<Binding> bindings(String userId) {
        return db.read(tx -> tx.dsl()
                .selectFrom(USER_THREEPID_ID_SERVER)
                .where(USER_THREEPID_ID_SERVER.USER_ID.eq(userId))
                .fetch(r -> new Binding(r.getMedium(), r.getAddress(), r.getIdServer())));
    }

    /** A 3PID bound on an identity server. */
    public record Binding(String medium, String address, String idServer) {}

    /** The session of {@code clientSecret} for the address, if the client started one. */
    public Optional<ValidationSession> sessionFor(String clientSecret, String medium, String address) {
        if (unstorable(clientSecret, medium, address)) {
            return Optional.empty();
        }
        return db.read(tx -> tx.dsl()
                .selectFrom(THREEPID_VALIDATION_SESSIONS)
                .where(
                        THREEPID_VALIDATION_SESSIONS.CLIENT_SECRET.eq(clientSecret),
                        THREEPID_VALIDATION_SESSIONS.MEDIUM.eq(medium),
                        THREEPID_VALIDATION_SESSIONS.ADDRESS.eq(address))
                .orderBy(THREEPID_VALIDATION_SESSIONS.SESSION_ID)
                .limit(1)
                .fetchOptional(ThreePidStore::toSession));
    }

    public Optional<ValidationSession> session(String sessionId) {
        if (unstorable(sessionId)) {
            return Optional.empty();
        }
        return db.read(tx -> tx.dsl()
                .selectFrom(THREEPID_VALIDATION_SESSIONS)
                .where(THREEPID_VALIDATION_SESSIONS.SESSION_ID.eq(sessionId))
                .fetchOptional(ThreePidStore::toSession));
    }

    /** Stores a new session or replaces one (a new token for a later send attempt). */
    public void saveSession(ValidationSession s) {
        db.update(tx -> {
            tx.dsl()
                    .deleteFrom(THREEPID_VALIDATION_SESSIONS)
                    .where(THREEPID_VALIDATION_SESSIONS.SESSION_ID.eq(s.sessionId()))
                    .execute();
            tx.dsl()
                    .insertInto(THREEPID_VALIDATION_SESSIONS)
                    .set(THREEPID_VALIDATION_SESSIONS.SESSION_ID, s.sessionId())
                    .set(THREEPID_VALIDATION_SESSIONS.MEDIUM, s.medium())
                    .set(THREEPID_VALIDATION_SESSIONS.ADDRESS, s.address())
                    .set(THREEPID_VALIDATION_SESSIONS.CLIENT_SECRET, s.clientSecret())
                    .set(THREEPID_VALIDATION_SESSIONS.SEND_ATTEMPT, s.sendAttempt())
                    .set(THREEPID_VALIDATION_SESSIONS.TOKEN, s.token())
                    .set(THREEPID_VALIDATION_SESSIONS.TOKEN_EXPIRES, s.tokenExpires())
                    .set(THREEPID_VALIDATION_SESSIONS.NEXT_LINK, s.nextLink().orElse(null))
                    .set(
                            THREEPID_VALIDATION_SESSIONS.VALIDATED_AT,
                            s.validatedAt().orElse(null))
                    .execute();
        });
    }

    /** Marks the session validated at {@code nowMs}, if it was not already. */
    public void validated(String sessionId, long nowMs) {
        db.update(tx -> tx.dsl()
                .update(THREEPID_VALIDATION_SESSIONS)
                .set(THREEPID_VALIDATION_SESSIONS.VALIDATED_AT, nowMs)
                .where(
                        THREEPID_VALIDATION_SESSIONS.SESSION_ID.eq(sessionId),
                        THREEPID_VALIDATION_SESSIONS.VALIDATED_AT.isNull())
                .execute());
    }

    /** Drops sessions whose token expired before {@code cutoffMs}. */
    public void dropSessionsBefore(long cutoffMs) {
        db.update(tx -> tx.dsl()
                .deleteFrom(THREEPID_VALIDATION_SESSIONS)
                .where(THREEPID_VALIDATION_SESSIONS.TOKEN_EXPIRES.lt(cutoffMs))
                .execute());
    }

    private static ThreePid toThreePid(UserThreepidsRecord r) {
        return new ThreePid(r.getUserId(), r.getMedium(), r.getAddress(), r.getValidatedAt(), r.getAddedAt());
    }

    private static ValidationSession toSession(ThreepidValidationSessionsRecord r) {
        return new ValidationSession(
                r.getSessionId(),
                r.getMedium(),
                r.getAddress(),
                r.getClientSecret(),
                r.getSendAttempt(),
                r.getToken(),
                r.getTokenExpires(),
                Optional.ofNullable(r.getNextLink()),
                Optional.ofNullable(r.getValidatedAt()));
    }

    /**
     * Whether a value cannot be in the database (PostgreSQL text holds no NUL), so that a lookup
     * with one finds nothing rather than failing.
     */
    private static boolean unstorable(String... values) {
        for (String value : values) {
            if (value.indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }
}
