package dev.myelin.storage.push;

import static dev.myelin.storage.schema.Tables.PUSHERS;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.RowCache;
import dev.myelin.storage.internal.Json;
import java.util.List;
import java.util.Optional;

/**
 * The pushers of each user, keyed by (user, app id, pushkey).
 *
 * <p>Every notification reads its user's pushers, so each user's list (empty for most) is cached under
 * {@link #CACHE}; every write invalidates the users whose pushers it changed once committed.
 */
public final class PusherStore {
    private final Database db;
    private final Clock clock;
    private final RowCache<List<Pusher>> byUser;

    /** The name the per-user pusher cache registers under; its keys are user ids. */
    public static final String CACHE = "pushers";

    /**
     * Creates the store.
     *
     * @param db the database
     * @param clock the time source for timestamps and expiry
     */
    public PusherStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.byUser = new RowCache<>(CACHE, db, 100_000);
    }

    /**
     * Creates or replaces {@code pusher}. Unless {@code append}, pushers of other users with the
     * same app id and pushkey are removed in the same transaction: a pushkey names one device, so a
     * new user signing in on it takes it over.
     */
    public void put(Pusher pusher, boolean append) {
        String json = Json.write(pusher.json());
        String device = pusher.deviceId().map(DeviceId::value).orElse(null);
        db.update(tx -> {
            byUser.invalidateAfterCommit(tx, pusher.user().toString());
            if (!append) {
                byUser.invalidateAfterCommit(
                        tx,
                        tx.dsl()
                                .deleteFrom(PUSHERS)
                                .where(
                                        PUSHERS.APP_ID.eq(pusher.appId()),
                                        PUSHERS.PUSHKEY.eq(pusher.pushkey()),
                                        PUSHERS.USER_ID.ne(pusher.user().toString()))
                                .returning(PUSHERS.USER_ID)
                                .fetch(PUSHERS.USER_ID));
            }
            tx.dsl()
                    .insertInto(PUSHERS)
                    .set(PUSHERS.USER_ID, pusher.user().toString())
                    .set(PUSHERS.APP_ID, pusher.appId())
                    .set(PUSHERS.PUSHKEY, pusher.pushkey())
                    .set(PUSHERS.KIND, pusher.kind())
                    .set(PUSHERS.DEVICE_ID, device)
                    .set(PUSHERS.PUSHER_JSON, json)
                    .set(PUSHERS.CREATED_TS, clock.nowMillis())
                    .onConflict(PUSHERS.USER_ID, PUSHERS.APP_ID, PUSHERS.PUSHKEY)
                    .doUpdate()
                    .set(PUSHERS.KIND, pusher.kind())
                    .set(PUSHERS.DEVICE_ID, device)
                    .set(PUSHERS.PUSHER_JSON, json)
                    .set(PUSHERS.CREATED_TS, clock.nowMillis())
                    .execute();
        });
    }

    /**
     * Removes the pushers set from {@code device}: a pusher goes with the login that made it, so a
     * device that is deleted or logged out no longer receives notifications.
     *
     * @return how many were removed
     */
    public int deleteForDevice(UserId user, DeviceId device) {
        return db.write(tx -> changed(tx, user)
                .deleteFrom(PUSHERS)
                .where(PUSHERS.USER_ID.eq(user.toString()), PUSHERS.DEVICE_ID.eq(device.value()))
                .execute());
    }

    /** Removes the user's pusher for this app id and pushkey; false if there was none. */
    public boolean delete(UserId user, String appId, String pushkey) {
        return db.write(tx -> changed(tx, user)
                        .deleteFrom(PUSHERS)
                        .where(
                                PUSHERS.USER_ID.eq(user.toString()),
                                PUSHERS.APP_ID.eq(appId),
                                PUSHERS.PUSHKEY.eq(pushkey))
                        .execute())
                > 0;
    }

    /** The user's pushers, least recently set first; {@link Pusher#pushkeyTs()} is when each was last set. */
    public List<Pusher> forUser(UserId user) {
        return byUser.get(user.toString(), this::load);
    }

    /** Invalidates {@code user}'s cached pushers once {@code tx} commits; returns its DSL to write with. */
    private org.jooq.DSLContext changed(dev.myelin.storage.Transaction tx, UserId user) {
        byUser.invalidateAfterCommit(tx, user.toString());
        return tx.dsl();
    }

    private List<Pusher> load(String user) {
        return db.read(tx -> tx.dsl()
                .selectFrom(PUSHERS)
                .where(PUSHERS.USER_ID.eq(user))
                .orderBy(PUSHERS.CREATED_TS, PUSHERS.APP_ID, PUSHERS.PUSHKEY)
                .fetch(r -> new Pusher(
                        UserId.parse(r.getUserId()),
                        r.getAppId(),
                        r.getPushkey(),
                        r.getKind(),
                        Optional.ofNullable(r.getDeviceId()).map(DeviceId::parse),
                        Json.readObject(r.getPusherJson()),
                        r.getCreatedTs())));
    }
}
